package sn.wolo.platform.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The application's configuration: a flat map of dotted keys ({@code db.url}) read from
 * {@code application.yaml} (classpath), then overridden by environment variables
 * ({@code WOLO_DB_URL}) and then by system properties ({@code -Dwolo.db.url}).
 *
 * <p>Only keys declared in the YAML exist: the YAML is the documented list of settings, and an
 * override of an unknown key is reported by {@link #unknownOverrides} instead of being ignored.
 */
public final class WoloConfig {

  private static final String DEFAULTS = "application.yaml";
  private static final String ENV_PREFIX = "WOLO_";
  private static final String PROP_PREFIX = "wolo.";

  private final Map<String, String> values;

  private WoloConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Defaults from the classpath YAML, overridden by the process environment and system properties. */
  public static WoloConfig load() {
    return load(System.getenv(), systemProperties());
  }

  /** Same as {@link #load()} with explicit sources (tests pass their own maps). */
  public static WoloConfig load(Map<String, String> env, Map<String, String> props) {
    Map<String, String> values = readDefaults();
    for (String key : values.keySet().toArray(String[]::new)) {
      String fromEnv = env.get(envName(key));
      if (fromEnv != null) values.put(key, fromEnv);
      String fromProp = props.get(PROP_PREFIX + key);
      if (fromProp != null) values.put(key, fromProp);
    }
    return new WoloConfig(validated(values));
  }

  /**
   * Every value checked before anything starts, with the variable's name in the message: a key whose
   * default is a number must be a non-negative integer (ports at most 65535), one whose default is
   * true/false a boolean, and the enumerations one of their values.
   */
  private static Map<String, String> validated(Map<String, String> values) {
    JsonNode defaults = defaultsTree();
    values.forEach((key, value) -> {
      JsonNode d = defaults.at("/" + key.replace(".", "/"));
      String v = value.trim();
      if (d.isIntegralNumber()) {
        long n;
        try {
          n = Long.parseLong(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(envName(key) + " must be an integer, got '" + v + "'");
        }
        long max = key.endsWith("port") ? 65_535 : Integer.MAX_VALUE;
        if (n < 0 || n > max) throw new IllegalArgumentException(envName(key) + " must be between 0 and " + max + ", got " + v);
      } else if (d.isBoolean() && !v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(envName(key) + " must be true or false, got '" + v + "'");
      }
    });
    oneOf(values, "profile", "dev", "prod");
    oneOf(values, "wave.webhook.strategy", "signing", "shared-secret");
    return values;
  }

  private static void oneOf(Map<String, String> values, String key, String... allowed) {
    String v = values.getOrDefault(key, "").trim();
    if (!java.util.Arrays.asList(allowed).contains(v)) {
      throw new IllegalArgumentException(envName(key) + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
    }
  }

  /** Rebuilds a configuration from {@link #toJson()} (verticles receive it as their deployment config). */
  public static WoloConfig fromJson(JsonObject json) {
    Map<String, String> values = new TreeMap<>();
    json.forEach(e -> values.put(e.getKey(), e.getValue() == null ? "" : e.getValue().toString()));
    return new WoloConfig(values);
  }

  /** A copy with some keys replaced (tests and the boot sequence, e.g. the embedded DB's URL). */
  public WoloConfig with(Map<String, String> overrides) {
    Map<String, String> copy = new TreeMap<>(values);
    overrides.forEach((k, v) -> {
      if (!copy.containsKey(k)) throw new IllegalArgumentException("unknown configuration key " + k);
      copy.put(k, v);
    });
    return new WoloConfig(validated(copy));
  }

  /** Environment variables that start with WOLO_ but name no configuration key (typos). */
  public static java.util.List<String> unknownOverrides(Map<String, String> env) {
    var known = readDefaults().keySet().stream().map(WoloConfig::envName).toList();
    return env.keySet().stream()
        .filter(k -> k.startsWith(ENV_PREFIX) && !known.contains(k) && !k.startsWith("WOLO_TEST_"))
        .sorted().toList();
  }

  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String string(String key) {
    String v = values.get(key);
    if (v == null) throw new IllegalArgumentException("unknown configuration key " + key);
    return v.trim();
  }

  /** The value, or empty when blank ("not configured"). */
  public Optional<String> optional(String key) {
    String v = string(key);
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public int integer(String key) {
    String v = string(key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("configuration " + envName(key) + " must be an integer, got '" + v + "'");
    }
  }

  /** An integer of at least {@code min} (a period, a size, a limit): a start with anything else fails, naming the variable. */
  public int atLeast(String key, int min) {
    int v = integer(key);
    if (v < min) throw new IllegalArgumentException("configuration " + envName(key) + " must be at least " + min + ", got " + v);
    return v;
  }

  public boolean bool(String key) {
    String v = string(key).toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
    throw new IllegalArgumentException("configuration " + envName(key) + " must be true or false, got '" + v + "'");
  }

  public boolean isDev() {
    return "dev".equals(profile());
  }

  public String profile() {
    return string("profile");
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    values.forEach(json::put);
    return json;
  }

  private static Map<String, String> readDefaults() {
    Map<String, String> flat = new TreeMap<>();
    flatten("", defaultsTree(), flat);
    return flat;
  }

  private static volatile JsonNode defaultsTree;

  /** The packaged YAML, parsed once. */
  private static JsonNode defaultsTree() {
    if (defaultsTree == null) {
      try (InputStream in = WoloConfig.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
        if (in == null) throw new IllegalStateException(DEFAULTS + " is missing from the classpath");
        defaultsTree = new ObjectMapper(new YAMLFactory()).readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + DEFAULTS, e);
      }
    }
    return defaultsTree;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else {
      out.put(prefix, node.isNull() ? "" : node.asText());
    }
  }

  private static Map<String, String> systemProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    System.getProperties().forEach((k, v) -> props.put(k.toString(), v.toString()));
    return props;
  }
}
