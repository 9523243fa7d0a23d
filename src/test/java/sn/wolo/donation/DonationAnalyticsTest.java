package sn.wolo.donation;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.bus.Bus;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import java.time.OffsetDateTime;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** donation_analytics for a seeded day is exact and idempotent. */
class DonationAnalyticsTest {

  private static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aSeededDayGivesExactFiguresAndReRunsChangeNothing() {
    UUID owner = UUID.randomUUID();
    UUID pot = UUID.randomUUID();
    var sql = app.sql();
    Await.result(sql.preparedQuery("INSERT INTO identity.users (id, email) VALUES ($1, 'owner-analytics@wolo.sn')").execute(Tuple.of(owner)));
    Await.result(sql.preparedQuery("""
        INSERT INTO pots.pots (id, owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status)
        VALUES ($1, $2, 't', 10000, '2026-06-30', '2026-05-31T00:00:00Z', '2026-06-30T00:00:00Z', 'open')""").execute(Tuple.of(pot, owner)));
    String insert = """
        INSERT INTO donations.donations (pot_id, donor_phone, amount_cfa, status, initiated_at, confirmed_at)
        VALUES ($1, $2, $3, $4, $5, $6)""";
    OffsetDateTime day = OffsetDateTime.parse("2026-06-10T10:00:00Z");
    Object[][] rows = {
        {"+221770000001", 1000, "succeeded", day, day},
        {"+221770000001", 3000, "succeeded", day, day.plusHours(1)},
        {"+221770000002", 2000, "succeeded", day, day.plusHours(2)},
        {"+221770000003", 5000, "refunded", day, day},      // kept out of the money, counted as a success
        {"+221770000004", 700, "failed", day, null},
        {"+221770000005", 900, "succeeded", day.minusDays(1), day.minusDays(1)},   // another day
    };
    for (Object[] r : rows) {
      Await.result(sql.preparedQuery(insert).execute(Tuple.from(new Object[] {pot, r[0], r[1], r[2], r[3], r[4]})));
    }
    JsonObject first = Await.result(Bus.call(app.vertx(), DonationVerticle.address("analytics"), new JsonObject().put("date", "2026-06-10")));
    assertEquals(6000, first.getLong("total_amount_cfa"));
    assertEquals(5, first.getInteger("transaction_count"));
    assertEquals(2, first.getInteger("unique_donors"));
    assertEquals(2000, first.getInteger("average_donation_cfa"));
    assertEquals("0.8000", first.getString("success_rate"));
    JsonObject again = Await.result(Bus.call(app.vertx(), DonationVerticle.address("analytics"), new JsonObject().put("date", "2026-06-10")));
    assertEquals(first, again);
    long n = Await.result(sql.query("SELECT count(*) FROM donations.donation_analytics WHERE period_start = '2026-06-10'").execute())
        .iterator().next().getLong(0);
    assertEquals(1, n);
  }
}
