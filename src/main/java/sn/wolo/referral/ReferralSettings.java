package sn.wolo.referral;

import sn.wolo.platform.config.WoloConfig;

/** The referral domain's settings, read once at start (see conf/application.yaml, section referral). */
record ReferralSettings(int maxPerDay, int invitationDays, int contactRetentionDays, int pointsAccepted, int pointsPotOpened,
                        int pointsFirstDonation, int maturationDays, int conversionRateCfa, int minConversionPoints, int sweepMs,
                        String publicBaseUrl) {

  static ReferralSettings from(WoloConfig c) {
    int max = c.integer("referral.max-invitations-per-day");
    if (max > 50) throw new IllegalArgumentException("WOLO_REFERRAL_MAX_INVITATIONS_PER_DAY is at most 50, got " + max);
    return new ReferralSettings(max, c.integer("referral.invitation-days"), c.integer("referral.contact-retention-days"),
        c.integer("referral.points-referral-accepted"), c.integer("referral.points-pot-opened"), c.integer("referral.points-first-donation"),
        c.integer("referral.maturation-days"), c.integer("referral.conversion-rate-cfa"), c.integer("referral.min-conversion-points"),
        c.integer("referral.sweep-ms"), c.string("public.base-url"));
  }

  String link(String code) {
    return publicBaseUrl + "/r/" + code;
  }
}
