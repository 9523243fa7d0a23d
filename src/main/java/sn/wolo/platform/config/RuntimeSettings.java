package sn.wolo.platform.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The business parameters the business tunes without a deploy (risk thresholds, points, invitation
 * limits…): the value an admin stored in {@code admin.system_config}, else the default of
 * {@code conf/application.yaml} under the same key. Read in memory at each use; the admin domain
 * keeps this process's copy current (a change reaches every instance within a moment).
 */
public final class RuntimeSettings {

  private static final String MAP = "wolo.runtime-config";
  private static final JsonObject NONE = new JsonObject();

  private final Vertx vertx;
  private final WoloConfig defaults;

  public RuntimeSettings(Vertx vertx, WoloConfig defaults) {
    this.vertx = vertx;
    this.defaults = defaults;
  }

  public int integer(String key) {
    return overrides().getValue(key) instanceof Number n ? n.intValue() : defaults.integer(key);
  }

  /** The default, ignoring any stored value (what the admin console shows beside the current one). */
  public int defaultInteger(String key) {
    return defaults.integer(key);
  }

  private JsonObject overrides() {
    return vertx.sharedData().getLocalMap(MAP).get("values") instanceof JsonObject j ? j : NONE;
  }

  /** Replaces this process's copy of the stored values (the admin domain's reload). */
  public static void replace(Vertx vertx, JsonObject values) {
    vertx.sharedData().getLocalMap(MAP).put("values", values.copy());
  }
}
