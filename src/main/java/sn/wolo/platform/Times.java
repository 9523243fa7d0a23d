package sn.wolo.platform;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Time as the product counts it: instants go to SQL as UTC {@code OffsetDateTime}s taken from the
 * injectable clock (never the database's {@code now()}), and days are Dakar's days.
 */
public final class Times {

  public static final ZoneId DAKAR = ZoneId.of("Africa/Dakar");

  /** A Dakar day as a half-open UTC range, for SQL: {@code start <= t < end}. */
  public record Day(OffsetDateTime start, OffsetDateTime end) {
  }

  private Times() {
  }

  /** "Now" as a SQL parameter. */
  public static OffsetDateTime now(Clock clock) {
    return utc(clock.instant());
  }

  public static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  public static LocalDate dakarToday(Clock clock) {
    return LocalDate.ofInstant(clock.instant(), DAKAR);
  }

  /** 00:00 in Dakar on {@code day}. */
  public static OffsetDateTime dakarMidnight(LocalDate day) {
    return utc(day.atStartOfDay(DAKAR).toInstant());
  }

  public static Day dakarDay(LocalDate day) {
    return new Day(dakarMidnight(day), dakarMidnight(day.plusDays(1)));
  }
}
