package sn.wolo.redemption;

import sn.wolo.platform.config.WoloConfig;

/** The redemption domain's settings, read and checked once at start (a bad value stops the start, naming its variable). */
record RedemptionSettings(String masterKey, int suspiciousFailures, int payoutClaimSeconds, int expirySweepMs, int payoutRecoveryMs,
                          int scansPerMinute, int financialRetentionYears, String financialRetentionAction) {

  static RedemptionSettings from(WoloConfig c) {
    return new RedemptionSettings(c.string("security.master-key"), c.atLeast("redemption.suspicious-failures", 1),
        c.atLeast("redemption.payout-claim-seconds", 1), c.atLeast("redemption.expiry-sweep-ms", 10), c.atLeast("redemption.payout-recovery-ms", 10),
        c.atLeast("redemption.scans-per-minute", 1), c.atLeast("retention.financial-years", 1), c.string("retention.financial-action"));
  }
}
