package sn.wolo.notification;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Quiet hours in the user's time zone (22:00–08:00 by default): messages wait until they end. */
final class QuietHours {

  private QuietHours() {
  }

  /** {@code now} if outside the quiet window, else the instant the window ends (the next {@code end}). */
  static Instant nextAllowed(Instant now, ZoneId zone, LocalTime start, LocalTime end) {
    if (start.equals(end)) return now;
    ZonedDateTime local = now.atZone(zone);
    LocalTime t = local.toLocalTime();
    boolean wraps = start.isAfter(end);   // 22:00 → 08:00 crosses midnight
    boolean quiet = wraps ? (!t.isBefore(start) || t.isBefore(end)) : (!t.isBefore(start) && t.isBefore(end));
    if (!quiet) return now;
    ZonedDateTime endToday = local.with(end).withSecond(0).withNano(0);
    return (endToday.isAfter(local) ? endToday : endToday.plusDays(1)).toInstant();
  }
}
