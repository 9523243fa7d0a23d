package sn.wolo.referral;

import io.vertx.core.Vertx;
import sn.wolo.platform.config.RuntimeSettings;
import sn.wolo.platform.config.WoloConfig;

/**
 * The referral domain's settings (conf/application.yaml, section referral). Those the business tunes
 * (the daily invitation limit, points, maturation, conversion) are read at each use from
 * {@link RuntimeSettings}, so an admin's change applies at once; the others are read once at start.
 */
final class ReferralSettings {

  private final RuntimeSettings live;
  private final int invitationDays;
  private final int contactRetentionDays;
  private final int sweepMs;
  private final String publicBaseUrl;

  private ReferralSettings(RuntimeSettings live, int invitationDays, int contactRetentionDays, int sweepMs, String publicBaseUrl) {
    this.live = live;
    this.invitationDays = invitationDays;
    this.contactRetentionDays = contactRetentionDays;
    this.sweepMs = sweepMs;
    this.publicBaseUrl = publicBaseUrl;
  }

  static ReferralSettings from(Vertx vertx, WoloConfig c) {
    int max = c.integer("referral.max-invitations-per-day");
    if (max > 50) throw new IllegalArgumentException("WOLO_REFERRAL_MAX_INVITATIONS_PER_DAY is at most 50, got " + max);
    return new ReferralSettings(new RuntimeSettings(vertx, c), c.integer("referral.invitation-days"),
        c.integer("referral.contact-retention-days"), c.integer("referral.sweep-ms"), c.string("public.base-url"));
  }

  int maxPerDay() {
    return Math.min(50, live.integer("referral.max-invitations-per-day"));
  }

  int pointsAccepted() {
    return live.integer("referral.points-referral-accepted");
  }

  int pointsPotOpened() {
    return live.integer("referral.points-pot-opened");
  }

  int pointsFirstDonation() {
    return live.integer("referral.points-first-donation");
  }

  int maturationDays() {
    return live.integer("referral.maturation-days");
  }

  int conversionRateCfa() {
    return live.integer("referral.conversion-rate-cfa");
  }

  int minConversionPoints() {
    return live.integer("referral.min-conversion-points");
  }

  int invitationDays() {
    return invitationDays;
  }

  int contactRetentionDays() {
    return contactRetentionDays;
  }

  int sweepMs() {
    return sweepMs;
  }

  String link(String code) {
    return publicBaseUrl + "/r/" + code;
  }
}
