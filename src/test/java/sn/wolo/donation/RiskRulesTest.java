package sn.wolo.donation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.TestApp;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: the fraud rules read bounded facts — each velocity counted up to its limit only, the
 * pot's usual donation from the pot's own running figures — and still refuse what they refused.
 * The threshold here (20) makes any one rule refuse on its own.
 */
class RiskRulesTest {

  private static final AtomicInteger PHONES = new AtomicInteger();
  private static TestApp app;
  /** Real time, moved ahead by hand (a frozen clock would fall behind the database's now()). */
  private static final ShiftedClock CLOCK = new ShiftedClock();

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("donation.risk.refuse-threshold", "20", "donation.risk.max-per-pot-per-10-minutes", "6",
        "donation.risk.max-per-ip-per-hour", "1000", "donation.risk.max-per-phone-per-hour", "1000",
        "auth.rate-limit-per-minute", "1000", "otp.max-per-ip-per-hour", "1000", "http.rate-limit-per-minute", "10000"),
        CLOCK);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aPotReceivingMoreThanItsLimitInTenMinutesIsRefusedAtTheLimitNotBefore() {
    String pot = openPot();
    for (int i = 0; i < 6; i++) assertEquals(201, donate(pot, 1_000, phone()).statusCode(), "donation " + (i + 1) + " is within the limit");
    var refused = donate(pot, 1_000, phone());
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsString().contains("pot_velocity"), refused.bodyAsString());
  }

  /**
   * The pot's velocity is summed from per-minute counts (V28): once its donations have left the
   * window the pot accepts again, and counts older than an hour are purged.
   */
  @Test
  void aPotAtItsLimitAcceptsAgainOnceItsDonationsLeaveTheWindowAndOldCountsArePurged() {
    String pot = openPot();
    try {
      for (int i = 0; i < 6; i++) assertEquals(201, donate(pot, 1_000, phone()).statusCode());
      assertEquals(403, donate(pot, 1_000, phone()).statusCode(), "at the limit");
      CLOCK.shift = java.time.Duration.ofMinutes(11);   // counted by the minute: the window holds 10 to 11 minutes
      var again = donate(pot, 1_000, phone());
      assertEquals(201, again.statusCode(), again.bodyAsString());
      assertEquals(7L, countsOf(pot), "every stored donation counted once (the refused one was never stored)");

      CLOCK.shift = java.time.Duration.ofMinutes(61);   // the first six are now 61 minutes old
      assertTrue(Await.result(RiskRules.purgeCounts(app.sql(), CLOCK)) >= 1);
      assertEquals(1L, countsOf(pot), "only the last minute's count is left");
    } finally {
      CLOCK.shift = java.time.Duration.ZERO;   // back to the real time for the other tests
    }
  }

  /** A burst on one pot: every stored donation is in the pot's count exactly once, however the shards' upserts raced. */
  @Test
  void aBurstOnOnePotCountsEveryStoredDonationOnce() throws Exception {
    String pot = openPot();
    java.util.concurrent.ExecutorService donors = java.util.concurrent.Executors.newFixedThreadPool(20);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) answers.add(donors.submit(() -> donate(pot, 1_000, phone()).statusCode()));
      int accepted = 0;
      for (var a : answers) accepted += a.get() == 201 ? 1 : 0;
      assertTrue(accepted >= 6, "at least the limit's worth was accepted: " + accepted);
      long stored = Await.result(app.sql().preparedQuery("SELECT count(*) FROM donations.donations WHERE pot_id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(UUID.fromString(pot)))).iterator().next().getLong(0);
      assertEquals(accepted, stored);
      assertEquals(stored, countsOf(pot));
    } finally {
      donors.shutdownNow();
    }
  }

  private static long countsOf(String pot) {
    return Await.result(app.sql().preparedQuery("SELECT coalesce(sum(initiations), 0) FROM donations.pot_initiation_counts WHERE pot_id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(UUID.fromString(pot)))).iterator().next().getLong(0);
  }

  @Test
  void aDonationTenTimesThePotsUsualIsRefusedOnceThePotHasThreeSuccesses() {
    String pot = openPot();
    var first = donate(pot, 1_000, phone());
    assertEquals(201, donate(pot, 20_000, phone()).statusCode(), "no usual amount before three successes");
    for (int i = 0; i < 2; i++) pay(donate(pot, 1_000, phone()));
    pay(first);
    Eventually.until("three successes credited", () -> Await.result(app.sql().preparedQuery(
        "SELECT succeeded_donations FROM pots.pots WHERE id = $1").execute(io.vertx.sqlclient.Tuple.of(UUID.fromString(pot))))
        .iterator().next().getInteger(0) == 3);
    // usual = 1,000: 10,000 is not above ten times it, 10,001 is.
    assertEquals(201, donate(pot, 10_000, phone()).statusCode());
    var refused = donate(pot, 10_001, phone());
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsString().contains("amount_far_above_usual"), refused.bodyAsString());
  }

  @Test
  void aFourthTinyDonationFromOnePhoneIsRefused() {
    String pot = openPot();
    String phone = phone();
    String other = openPot();   // tiny donations count by phone across pots (the pot's own limit stays out of the way)
    assertEquals(201, donate(pot, 100, phone).statusCode());
    assertEquals(201, donate(other, 150, phone).statusCode());
    assertEquals(201, donate(pot, 199, phone).statusCode());
    var refused = donate(other, 100, phone);
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsString().contains("many_tiny_donations"), refused.bodyAsString());
    assertEquals(201, donate(other, 1_000, phone).statusCode(), "a donation that is not tiny still goes through");
  }

  private static void pay(HttpResponse<Buffer> created) {
    assertEquals(201, created.statusCode(), created.bodyAsString());
    Await.result(app.wave().complete(created.bodyAsJsonObject().getString("checkout_session_id")));
  }

  private static HttpResponse<Buffer> donate(String pot, int amount, String phone) {
    return app.http().post("/v1/pots/" + pot + "/donations", new JsonObject().put("amount_cfa", amount).put("donor_phone", phone), null);
  }

  private static String phone() {
    return String.format("+22176%07d", PHONES.incrementAndGet());
  }

  private static String openPot() {
    JsonObject owner = app.accounts().otpLogin(String.format("+22178%07d", PHONES.incrementAndGet()));
    String dob = java.time.LocalDate.now(java.time.ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString();
    app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Pot Owner").put("date_of_birth", dob), owner.getString("access_token"));
    var pot = app.http().post("/v1/pots", new JsonObject().put("title", "Cadeau").put("target_amount_cfa", 500_000)
        .put("visibility", "public").put("allow_anonymous_donations", true), owner.getString("access_token"));
    assertEquals(201, pot.statusCode(), pot.bodyAsString());
    return pot.bodyAsJsonObject().getString("id");
  }

  private static final class ShiftedClock extends java.time.Clock {
    volatile java.time.Duration shift = java.time.Duration.ZERO;

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.now().plus(shift);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
