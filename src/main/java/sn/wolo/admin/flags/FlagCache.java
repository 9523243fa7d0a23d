package sn.wolo.admin.flags;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import sn.wolo.platform.db.DatabaseSignals;
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
  private long timer = -1;

  /** {@code signals} may be null (no cross-process signal: the periodic refresh only). */
  public FlagCache(Vertx vertx, FeatureFlags flags, String environment, DatabaseSignals signals) {
    this.vertx = vertx;
    this.flags = flags;
    this.environment = environment;
    if (signals != null) signals.on(FeatureFlags.CHANGED_CHANNEL, payload -> reload());
  }

  /** The flags of this process's environment (a copy). */
  public static JsonArray current(Vertx vertx) {
    Object flags = vertx.sharedData().getLocalMap(MAP).get("flags");
    return flags instanceof JsonArray a ? a : new JsonArray();
  }

  public Future<Void> start() {
    timer = vertx.setPeriodic(REFRESH_MS, id -> reload());
    return reload();
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  public Future<Void> reload() {
    return flags.all(environment).map(all -> {
      vertx.sharedData().getLocalMap(MAP).put("flags", all);
      return (Void) null;
    }).onFailure(e -> log.warn("feature flags not reloaded, next refresh retries: {}", e.toString()));
  }
}
