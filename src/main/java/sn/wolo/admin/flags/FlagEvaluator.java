package sn.wolo.admin.flags;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import sn.wolo.platform.StableHash;

import java.util.Set;

/**
 * Evaluates feature flags in memory (no database read per request). A flag is on for a subject when
 * it is enabled, its targeting matches (user groups = roles, region, platform, minimum app version;
 * an empty list matches everyone) and the subject's bucket — SHA-256 of {@code "key:subject"} mod
 * 100, deterministic and uniform — is below the rollout percentage.
 */
public final class FlagEvaluator {

  /** Who asks: a user id or an install id, with what the app says about itself. */
  public record Subject(String id, Set<String> groups, String region, String platform, String appVersion) {
  }

  private FlagEvaluator() {
  }

  /** {@code {"<key>": value}}: booleans for boolean flags, the value (or null) for the others. */
  public static JsonObject evaluate(JsonArray flags, Subject subject) {
    JsonObject out = new JsonObject();
    for (int i = 0; i < flags.size(); i++) {
      JsonObject f = flags.getJsonObject(i);
      boolean on = isOn(f, subject);
      out.put(f.getString("flag_key"), "boolean".equals(f.getString("flag_type")) ? on : on ? f.getValue("flag_value") : null);
    }
    return out;
  }

  static boolean isOn(JsonObject f, Subject s) {
    return f.getBoolean("is_enabled", false)
        && matches(f.getJsonArray("target_user_groups"), s.groups())
        && matches(f.getJsonArray("target_regions"), s.region())
        && matches(f.getJsonArray("target_platforms"), s.platform())
        && versionAtLeast(s.appVersion(), f.getString("min_app_version"))
        && bucket(f.getString("flag_key"), s.id()) < f.getInteger("rollout_percentage", 0);
  }

  /** 0–99, the same for a key and a subject everywhere ({@link StableHash}, as A/B assignments). */
  public static int bucket(String key, String subject) {
    return (int) (StableHash.unit(key + ":" + subject) * 100);
  }

  private static boolean matches(JsonArray targets, String value) {
    return targets == null || targets.isEmpty() || value != null && targets.contains(value);
  }

  private static boolean matches(JsonArray targets, Set<String> values) {
    return targets == null || targets.isEmpty() || values.stream().anyMatch(targets::contains);
  }

  static boolean versionAtLeast(String version, String minimum) {
    if (minimum == null) return true;
    if (version == null || !version.matches("\\d{1,6}(\\.\\d{1,6}){0,2}")) return false;
    String[] v = version.split("\\.");
    String[] m = minimum.split("\\.");
    for (int i = 0; i < 3; i++) {
      int a = i < v.length ? Integer.parseInt(v[i]) : 0;
      int b = i < m.length ? Integer.parseInt(m[i]) : 0;
      if (a != b) return a > b;
    }
    return true;
  }
}
