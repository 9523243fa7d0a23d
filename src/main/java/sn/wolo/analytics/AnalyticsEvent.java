package sn.wolo.analytics;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code analytics.analytics_events}, as written. {@code propertiesJson} is the
 * properties encoded once (the size check needed it) and handed to PostgreSQL as they are.
 */
record AnalyticsEvent(UUID id, String name, String category, UUID userId, String sessionId, String anonymousId,
                      JsonObject properties, String propertiesJson, Instant timestamp, String ipAddress, String userAgent,
                      String referrer, String pageUrl, String platform, String deviceType, String os, String browser,
                      String country, String region) {

  /** The Kafka copy: the row's columns by name. */
  JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("event_name", name).put("event_category", category)
        .put("user_id", userId == null ? null : userId.toString()).put("session_id", sessionId).put("anonymous_id", anonymousId)
        .put("properties", properties).put("timestamp", timestamp.toString()).put("ip_address", ipAddress).put("user_agent", userAgent)
        .put("referrer", referrer).put("page_url", pageUrl).put("platform", platform).put("device_type", deviceType).put("os", os)
        .put("browser", browser).put("country", country).put("region", region);
  }

  /** The key of the Kafka copy: one user's (or device's) events stay in order on one partition. */
  String partitionKey() {
    return userId != null ? userId.toString() : anonymousId;
  }
}
