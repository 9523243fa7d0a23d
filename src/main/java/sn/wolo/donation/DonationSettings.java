package sn.wolo.donation;

import sn.wolo.platform.config.WoloConfig;

/**
 * The donation domain's settings, read and checked once at start (a bad value stops the start,
 * naming its variable). The fraud thresholds are not here: admins tune them at runtime
 * ({@code RuntimeSettings}, read by {@link RiskRules} at each use).
 */
record DonationSettings(int minCfa, int maxCfa, String successUrl, String errorUrl, int reconcileAfterSeconds, int reconcileMs,
                        int webhookSweepMs, int webhookBatchMax, String webhookSecret, boolean webhookSigned, int webhookToleranceSeconds,
                        int webhookPayloadRetentionDays, int financialRetentionYears, String financialRetentionAction) {

  static DonationSettings from(WoloConfig c) {
    int min = c.atLeast("donation.min-cfa", 1);
    String strategy = c.string("wave.webhook.strategy");
    if (!strategy.equals("shared-secret") && !strategy.equals("signing")) {
      throw new IllegalArgumentException("configuration " + WoloConfig.envName("wave.webhook.strategy")
          + " is signing or shared-secret, got '" + strategy + "'");
    }
    String action = c.string("retention.financial-action");
    if (!action.equals("delete") && !action.equals("keep")) {
      throw new IllegalArgumentException("configuration " + WoloConfig.envName("retention.financial-action") + " is delete or keep, got '" + action + "'");
    }
    return new DonationSettings(min, c.atLeast("donation.max-cfa", min), c.string("donation.success-url"), c.string("donation.error-url"),
        c.atLeast("donation.reconcile-after-seconds", 1), c.atLeast("donation.reconcile-ms", 10), c.atLeast("donation.webhook-sweep-ms", 10),
        c.atLeast("donation.webhook-batch-max", 1), c.string("wave.webhook.secret"), !strategy.equals("shared-secret"),
        c.atLeast("wave.webhook.tolerance-seconds", 1), c.atLeast("retention.webhook-payload-days", 1),
        c.atLeast("retention.financial-years", 1), action);
  }
}
