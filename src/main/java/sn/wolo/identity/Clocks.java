package sn.wolo.identity;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

final class Clocks {

  private Clocks() {
  }

  /** "Now" as a SQL parameter: every time comparison uses the injectable clock, never the database's now(). */
  static OffsetDateTime now(Clock clock) {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
