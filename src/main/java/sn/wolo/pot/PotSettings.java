package sn.wolo.pot;

import sn.wolo.platform.config.WoloConfig;

/** The pot domain's settings, read and checked once at start (a bad value stops the start, naming its variable). */
record PotSettings(int minTargetCfa, int maxTargetCfa, int invitationsPerDay, int sweepMs, int sweepBatch, int countersFlushMs,
                   String publicBaseUrl) {

  static PotSettings from(WoloConfig c) {
    int min = c.atLeast("pot.min-target-cfa", 1);
    return new PotSettings(min, c.atLeast("pot.max-target-cfa", min), c.atLeast("pot.invitations-per-day", 1), c.atLeast("pot.sweep-ms", 10),
        c.atLeast("pot.sweep-batch", 1), c.atLeast("pot.counters-flush-ms", 10), c.string("public.base-url"));
  }
}
