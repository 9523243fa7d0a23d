package sn.wolo.analytics;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one client event. Names follow a documented pattern (snake_case, 2-100 characters, e.g.
 * {@code pot_viewed}); categories come from a known list; sizes are bounded; timestamps may not be
 * in the future beyond the clock-skew allowance nor older than the accepted age. Client events can
 * never carry a user id: it comes from the access token only.
 */
final class EventValidator {

  static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{1,99}$");
  static final Set<String> CATEGORIES = Set.of("app", "identity", "profile", "referral", "pot", "donation", "pack", "redemption",
      "notification", "navigation", "engagement", "experiment");
  static final Set<String> PLATFORMS = Set.of("web", "mobile_app", "api", "ios", "android");
  private static final int MAX_PROPERTIES_BYTES = 8 * 1024;

  /** A client event that passed the checks, normalised (properties also encoded, once). */
  record ClientEvent(String name, String category, JsonObject properties, String propertiesJson, Instant timestamp, String sessionId,
                     String anonymousId, String platform, String pageUrl, String referrer) {
  }

  private static final String NO_PROPERTIES = "{}";

  private EventValidator() {
  }

  /** The normalised event, or an exception whose message says what is wrong. */
  static ClientEvent check(Object raw, Instant now, long maxFutureSeconds, long maxAgeDays) {
    if (!(raw instanceof JsonObject e)) throw new IllegalArgumentException("not an object");
    String name = e.getValue("event_name") instanceof String s ? s : null;
    if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("event_name must match " + NAME.pattern());
    String category = e.getValue("event_category") instanceof String s ? s : null;
    if (category == null || !CATEGORIES.contains(category)) throw new IllegalArgumentException("event_category must be one of " + CATEGORIES);
    Object props = e.getValue("properties");
    if (props != null && !(props instanceof JsonObject)) throw propertiesTooLarge();
    JsonObject properties = props == null ? new JsonObject() : (JsonObject) props;
    String propertiesJson = properties.isEmpty() ? NO_PROPERTIES : properties.encode();
    if (propertiesJson.length() > MAX_PROPERTIES_BYTES) throw propertiesTooLarge();
    Instant at = now;
    if (e.getValue("timestamp") != null) {
      try {
        at = Instant.parse(String.valueOf(e.getValue("timestamp")));
      } catch (DateTimeParseException ex) {
        throw new IllegalArgumentException("timestamp must be ISO-8601 (e.g. 2026-11-25T10:15:30Z)");
      }
      if (at.isAfter(now.plusSeconds(maxFutureSeconds))) throw new IllegalArgumentException("timestamp is in the future");
      if (at.isBefore(now.minusSeconds(maxAgeDays * 86_400))) throw new IllegalArgumentException("timestamp is too old");
    }
    String platform = text(e, "platform", 20);
    if (platform != null && !PLATFORMS.contains(platform)) throw new IllegalArgumentException("platform must be one of " + PLATFORMS);
    // A "user_id" in the body is ignored: the user is the access token's subject, or nobody.
    return new ClientEvent(name, category, properties, propertiesJson, at, text(e, "session_id", 100), text(e, "anonymous_id", 100),
        platform, text(e, "page_url", 500), text(e, "referrer", 500));
  }

  private static IllegalArgumentException propertiesTooLarge() {
    return new IllegalArgumentException("properties must be an object of at most " + MAX_PROPERTIES_BYTES + " bytes");
  }

  private static String text(JsonObject e, String field, int max) {
    Object v = e.getValue(field);
    if (v == null) return null;
    if (!(v instanceof String s) || s.length() > max) throw new IllegalArgumentException(field + " must be text of at most " + max + " characters");
    return s;
  }
}
