package sn.wolo.admin.flags;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's copy of its environment's flags, read by every edge instance without touching the
 * database. Reloaded when any process changes a flag ({@code LISTEN wolo_flags_changed}, within a
 * moment), after a change made here (before the admin's answer), and every 30 s (heals a missed signal).
 */
public final class FlagCache {

  private static final Logger log = LoggerFactory.getLogger(FlagCache.class);
  private static final String MAP = "wolo.feature-flags";
  private static final long REFRESH_MS = 30_000;

  private final Vertx vertx;
  private final FeatureFlags flags;
  private final String environment;
  private final PgSubscriber subscriber;
  private long timer = -1;

  public FlagCache(Vertx vertx, FeatureFlags flags, String environment, PgConnectOptions db) {
    this.vertx = vertx;
    this.flags = flags;
    this.environment = environment;
    this.subscriber = PgSubscriber.subscriber(vertx, db).reconnectPolicy(retries -> 1_000L);
    subscriber.channel(FeatureFlags.CHANGED_CHANNEL).handler(payload -> reload());
  }

  /** The flags of this process's environment (a copy). */
  public static JsonArray current(Vertx vertx) {
    Object flags = vertx.sharedData().getLocalMap(MAP).get("flags");
    return flags instanceof JsonArray a ? a : new JsonArray();
  }

  public Future<Void> start() {
    timer = vertx.setPeriodic(REFRESH_MS, id -> reload());
    return reload().compose(v -> subscriber.connect().recover(e -> {
      log.warn("flag change listener not connected yet (it retries; the 30 s refresh covers the gap): {}", e.toString());
      return Future.succeededFuture();
    }));
  }

  public Future<Void> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return subscriber.close();
  }

  public Future<Void> reload() {
    return flags.all(environment).map(all -> {
      vertx.sharedData().getLocalMap(MAP).put("flags", all);
      return (Void) null;
    }).onFailure(e -> log.warn("feature flags not reloaded, next refresh retries: {}", e.toString()));
  }
}
