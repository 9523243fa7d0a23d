package sn.wolo.redemption;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;

/** A partner's settlement period by its payment terms: ISO weeks (Monday–Sunday), calendar months, calendar quarters. */
record SettlementPeriod(LocalDate start, LocalDate end) {

  static SettlementPeriod containing(String paymentTerms, LocalDate day) {
    return switch (paymentTerms) {
      case "weekly" -> new SettlementPeriod(day.with(DayOfWeek.MONDAY), day.with(DayOfWeek.SUNDAY));
      case "quarterly" -> {
        LocalDate first = day.with(IsoFields.DAY_OF_QUARTER, 1);
        yield new SettlementPeriod(first, first.plusMonths(3).minusDays(1));
      }
      default -> new SettlementPeriod(day.withDayOfMonth(1), day.with(TemporalAdjusters.lastDayOfMonth()));
    };
  }
}
