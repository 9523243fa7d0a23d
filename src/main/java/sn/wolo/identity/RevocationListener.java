package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.security.RevokedSessions;

/**
 * Hears session revocations made by any server process on the same database ({@code LISTEN
 * wolo_session_revoked}): a logout on one instance makes the access token fail on every other one
 * within a moment, not at its expiry. The subscriber reconnects by itself; whatever it missed while
 * disconnected, the periodic reload of recent revocations restores.
 */
final class RevocationListener {

  static final String CHANNEL = "wolo_session_revoked";
  private static final Logger log = LoggerFactory.getLogger(RevocationListener.class);

  private final PgSubscriber subscriber;

  RevocationListener(Vertx vertx, PgConnectOptions options) {
    this.subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
    subscriber.channel(CHANNEL).handler(payload -> {
      try {
        JsonObject signal = new JsonObject(payload);
        long at = signal.getLong("at", System.currentTimeMillis());
        signal.getJsonArray("session_ids").forEach(sid -> RevokedSessions.add(vertx, String.valueOf(sid), at));
      } catch (RuntimeException e) {
        log.warn("unreadable revocation signal ignored");
      }
    });
  }

  Future<Void> start() {
    return subscriber.connect();
  }

  Future<Void> stop() {
    return subscriber.close();
  }
}
