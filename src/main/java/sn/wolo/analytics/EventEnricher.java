package sn.wolo.analytics;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** Adds what the server knows to a validated client event: id, user (from the token), IP, device, country/region headers. */
final class EventEnricher {

  private EventEnricher() {
  }

  static JsonObject enrich(JsonObject event, String userId, String ip, String userAgent, String country, String region) {
    UserAgents.Parsed ua = UserAgents.parse(userAgent);
    String cc = country == null || !country.matches("[A-Za-z]{2,3}") ? null : country.toUpperCase(Locale.ROOT);
    // A time-ordered id: the events' primary key grows at its right edge instead of on random pages.
    return event.copy().put("id", sn.wolo.platform.TimeOrderedIds.next().toString()).put("user_id", userId).put("ip_address", ip)
        .put("user_agent", userAgent == null ? null : userAgent.substring(0, Math.min(userAgent.length(), 500)))
        .put("device_type", ua.deviceType()).put("os", ua.os()).put("browser", ua.browser())
        .put("country", cc).put("region", region == null || region.length() > 100 ? null : region);
  }
}
