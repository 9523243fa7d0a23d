package sn.wolo.platform.db;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals between server processes through PostgreSQL ({@code LISTEN}/{@code NOTIFY}) on ONE
 * dedicated connection per process, reconnecting by itself. Signals are hints that something
 * changed: whoever listens also refreshes periodically, so a signal lost while disconnected heals.
 */
public final class DatabaseSignals {

  private static final Logger log = LoggerFactory.getLogger(DatabaseSignals.class);
  private final PgSubscriber subscriber;
  private Future<Void> connected;

  public DatabaseSignals(Vertx vertx, PgConnectOptions db) {
    this.subscriber = PgSubscriber.subscriber(vertx, db).reconnectPolicy(retries -> 1_000L);
  }

  /** Listens on {@code channel}; call before {@link #start}. */
  public DatabaseSignals on(String channel, Handler<String> payload) {
    subscriber.channel(channel).handler(payload);
    return this;
  }

  /** Connects once; a failure is logged, not fatal (the subscriber keeps trying, the periodic refreshes cover the gap). */
  public synchronized Future<Void> start() {
    if (connected == null) {
      connected = subscriber.connect().recover(e -> {
        log.warn("database signals not connected yet (retrying; periodic refreshes cover the gap): {}", e.toString());
        return Future.succeededFuture();
      });
    }
    return connected;
  }

  public Future<Void> stop() {
    return subscriber.close();
  }
}
