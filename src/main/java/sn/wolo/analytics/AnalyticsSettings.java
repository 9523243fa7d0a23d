package sn.wolo.analytics;

import sn.wolo.platform.config.WoloConfig;

/** The analytics domain's settings, read and checked once at start (a bad value stops the start, naming its variable). */
record AnalyticsSettings(int maxBatch, int maxFutureSeconds, int maxAgeDays, int writeBatchMax, int retentionMonths, double abConfidence) {

  static AnalyticsSettings from(WoloConfig c) {
    double confidence;
    try {
      confidence = Double.parseDouble(c.string("analytics.ab-confidence"));
    } catch (NumberFormatException e) {
      confidence = -1;
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("configuration " + WoloConfig.envName("analytics.ab-confidence") + " is between 0 and 1, got '"
          + c.string("analytics.ab-confidence") + "'");
    }
    return new AnalyticsSettings(c.atLeast("analytics.max-batch", 1), c.atLeast("analytics.max-future-seconds", 0),
        c.atLeast("analytics.max-age-days", 1), c.atLeast("analytics.write-batch-max", 1), c.atLeast("analytics.retention-months", 1), confidence);
  }
}
