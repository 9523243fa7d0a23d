package sn.wolo.profile;

import sn.wolo.platform.Times;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;

/** Ages are counted on Dakar's calendar: a user born on 1 March 2008 is 18 from 00:00 Dakar on 1 March 2026. */
public final class Ages {

  public static final int MAJORITY = 18;

  private Ages() {
  }

  public static LocalDate today(Clock clock) {
    return Times.dakarToday(clock);
  }

  public static boolean isMinor(LocalDate dateOfBirth, Clock clock) {
    return Period.between(dateOfBirth, today(clock)).getYears() < MAJORITY;
  }
}
