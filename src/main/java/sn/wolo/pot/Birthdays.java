package sn.wolo.pot;

import sn.wolo.platform.Times;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.Year;

/**
 * Birthday arithmetic on Dakar's calendar. A pot is for the next birthday strictly after today; it
 * opens at J-30 (00:00 Dakar, 30 days before) and closes at the birthday, 00:00 Dakar. People born
 * on 29 February celebrate on 28 February in common years.
 */
public final class Birthdays {

  public static final int OPENS_DAYS_BEFORE = 30;

  private Birthdays() {
  }

  public static LocalDate next(LocalDate dateOfBirth, LocalDate today) {
    LocalDate thisYear = inYear(dateOfBirth, today.getYear());
    return thisYear.isAfter(today) ? thisYear : inYear(dateOfBirth, today.getYear() + 1);
  }

  static LocalDate inYear(LocalDate dateOfBirth, int year) {
    MonthDay md = MonthDay.from(dateOfBirth);
    if (md.equals(MonthDay.of(2, 29)) && !Year.isLeap(year)) return LocalDate.of(year, 2, 28);
    return md.atYear(year);
  }

  /** 00:00 in Dakar on the birthday: when the pot closes. */
  public static Instant closesAt(LocalDate birthday) {
    return birthday.atStartOfDay(Times.DAKAR).toInstant();
  }

  /** 00:00 in Dakar, 30 days before the birthday: J-30. */
  public static Instant opensAt(LocalDate birthday) {
    return birthday.minusDays(OPENS_DAYS_BEFORE).atStartOfDay(Times.DAKAR).toInstant();
  }
}
