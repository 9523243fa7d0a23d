package sn.wolo.pot;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BirthdaysTest {

  @Test
  void nextBirthdayIsStrictlyAfterToday() {
    assertEquals(LocalDate.of(2027, 3, 11), Birthdays.next(LocalDate.of(1990, 3, 11), LocalDate.of(2027, 1, 10)));
    assertEquals(LocalDate.of(2028, 3, 11), Birthdays.next(LocalDate.of(1990, 3, 11), LocalDate.of(2027, 3, 11)), "today's is over");
    assertEquals(LocalDate.of(2027, 3, 11), Birthdays.next(LocalDate.of(1990, 3, 11), LocalDate.of(2027, 3, 10)));
  }

  @Test
  void twentyNinthOfFebruaryFallsOnTheTwentyEighthInCommonYears() {
    assertEquals(LocalDate.of(2027, 2, 28), Birthdays.next(LocalDate.of(2000, 2, 29), LocalDate.of(2027, 1, 10)));
    assertEquals(LocalDate.of(2028, 2, 29), Birthdays.next(LocalDate.of(2000, 2, 29), LocalDate.of(2027, 3, 1)));
  }

  @Test
  void opensAtJMinus30MidnightDakarAndClosesAtTheBirthday() {
    // Dakar is UTC+0 all year: midnight there is midnight UTC.
    assertEquals(Instant.parse("2027-02-09T00:00:00Z"), Birthdays.opensAt(LocalDate.of(2027, 3, 11)));
    assertEquals(Instant.parse("2027-03-11T00:00:00Z"), Birthdays.closesAt(LocalDate.of(2027, 3, 11)));
  }
}
