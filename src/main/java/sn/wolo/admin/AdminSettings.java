package sn.wolo.admin;

import sn.wolo.platform.config.WoloConfig;

import java.time.Duration;

/** The admin domain's settings, read and checked once at start (a bad value stops the start, naming its variable). */
record AdminSettings(String masterKey, int integrityStaleMinutes, int auditRetentionYears, Duration sessionIdle, Duration sessionAbsolute,
                     int healthCheckMs) {

  static AdminSettings from(WoloConfig c) {
    return new AdminSettings(c.string("security.master-key"), c.atLeast("integrity.stale-minutes", 1), c.atLeast("retention.audit-years", 1),
        Duration.ofMinutes(c.atLeast("admin.session-idle-minutes", 1)), Duration.ofHours(c.atLeast("admin.session-absolute-hours", 1)),
        c.atLeast("admin.health-check-ms", 100));
  }
}
