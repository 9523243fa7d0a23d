package sn.wolo.admin.flags;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import sn.wolo.platform.db.DatabaseSignals;
import sn.wolo.platform.db.SignalledReload;

/**
 * This process's copy of its environment's flags, read by every edge instance without touching the
 * database. Reloaded when any process changes a flag ({@code LISTEN wolo_flags_changed}, within a
 * moment), after a change made here (before the admin's answer), and every 30 s (heals a missed signal).
 */
public final class FlagCache {

  private static final String MAP = "wolo.feature-flags";
  private static final long REFRESH_MS = 30_000;

  private final SignalledReload reload;

  /** {@code signals} may be null (no cross-process signal: the periodic refresh only). */
  public FlagCache(Vertx vertx, FeatureFlags flags, String environment, DatabaseSignals signals) {
    this.reload = new SignalledReload(vertx, signals, FeatureFlags.CHANGED_CHANNEL, REFRESH_MS, "feature flags",
        () -> flags.all(environment).map(all -> {
          vertx.sharedData().getLocalMap(MAP).put("flags", all);
          return (Void) null;
        }));
  }

  /** The flags of this process's environment (a copy). */
  public static JsonArray current(Vertx vertx) {
    Object flags = vertx.sharedData().getLocalMap(MAP).get("flags");
    return flags instanceof JsonArray a ? a : new JsonArray();
  }

  public Future<Void> start() {
    return reload.start();
  }

  public void stop() {
    reload.stop();
  }

  public Future<Void> reload() {
    return reload.reload();
  }
}
