package sn.wolo.platform.security;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * Session ids revoked recently (logout, logout-all, refresh-token reuse, erasure, suspension), so an
 * access token of a revoked session stops working at once instead of at its expiry. Kept per JVM in
 * a shared local map fed by the identity domain's {@code wolo.identity.session-revoked} broadcasts;
 * an entry can be dropped once it is older than the access-token lifetime.
 */
public final class RevokedSessions {

  private static final String MAP = "wolo.revoked-sessions";

  private RevokedSessions() {
  }

  public static void add(Vertx vertx, String sessionId, long revokedAtMillis) {
    map(vertx).put(sessionId, revokedAtMillis);
  }

  public static boolean contains(Vertx vertx, String sessionId) {
    return map(vertx).get(sessionId) != null;
  }

  /** Forgets entries older than {@code maxAgeMillis}: their access tokens have expired anyway. */
  public static void prune(Vertx vertx, long nowMillis, long maxAgeMillis) {
    LocalMap<String, Long> m = map(vertx);
    m.keySet().forEach(k -> {
      Long at = m.get(k);
      if (at != null && nowMillis - at > maxAgeMillis) m.remove(k);
    });
  }

  private static LocalMap<String, Long> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
