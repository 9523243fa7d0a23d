package sn.wolo.identity;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.security.RevokedSessions;

/**
 * Session revocations made by any server process on the same database ({@code NOTIFY
 * wolo_session_revoked}, heard through the process's {@code DatabaseSignals}): a logout on one
 * instance makes the access token fail on every other one within a moment, not at its expiry.
 * Whatever is missed while disconnected, the periodic reload of recent revocations restores.
 */
final class RevocationListener {

  static final String CHANNEL = "wolo_session_revoked";
  private static final Logger log = LoggerFactory.getLogger(RevocationListener.class);

  private RevocationListener() {
  }

  static void apply(Vertx vertx, String payload) {
    try {
      JsonObject signal = new JsonObject(payload);
      long at = signal.getLong("at", System.currentTimeMillis());
      signal.getJsonArray("session_ids").forEach(sid -> RevokedSessions.add(vertx, String.valueOf(sid), at));
    } catch (RuntimeException e) {
      log.warn("unreadable revocation signal ignored");
    }
  }
}
