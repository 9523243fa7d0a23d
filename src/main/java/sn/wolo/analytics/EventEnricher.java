package sn.wolo.analytics;

import sn.wolo.platform.TimeOrderedIds;

import java.util.Locale;
import java.util.UUID;

/**
 * Adds what the server knows to a validated client event: id, user (from the token), IP, device,
 * country/region headers. What comes from the request is worked out once per request ({@link Origin}),
 * not once per event of its batch.
 */
final class EventEnricher {

  /** Where a batch of events comes from: the same for all of them. */
  record Origin(UUID userId, String ip, String userAgent, UserAgents.Parsed device, String country, String region) {
  }

  private EventEnricher() {
  }

  static Origin origin(UUID userId, String ip, String userAgent, String country, String region) {
    return new Origin(userId, ip, userAgent == null ? null : userAgent.substring(0, Math.min(userAgent.length(), 500)),
        UserAgents.parse(userAgent), country == null || !country.matches("[A-Za-z]{2,3}") ? null : country.toUpperCase(Locale.ROOT),
        region == null || region.length() > 100 ? null : region);
  }

  static AnalyticsEvent enrich(EventValidator.ClientEvent e, Origin origin) {
    // A time-ordered id: the events' primary key grows at its right edge instead of on random pages.
    return new AnalyticsEvent(TimeOrderedIds.next(), e.name(), e.category(), origin.userId(), e.sessionId(), e.anonymousId(),
        e.properties(), e.propertiesJson(), e.timestamp(), origin.ip(), origin.userAgent(), e.referrer(), e.pageUrl(), e.platform(),
        origin.device().deviceType(), origin.device().os(), origin.device().browser(), origin.country(), origin.region());
  }
}
