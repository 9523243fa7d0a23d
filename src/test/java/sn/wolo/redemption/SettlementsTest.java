package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.bus.Bus;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13: settlement arithmetic on seeded periods, carry-over below the minimum, and payouts made exactly once whatever fails. */
class SettlementsTest {

  private static MutableClock clock;
  private static TestApp app;
  private static Http http;
  private static GiftFixtures fx;
  private static String owner;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.parse("2027-03-02T09:00:00Z"));
    app = TestApp.start(Map.of("otp.max-per-ip-per-hour", "1000", "auth.rate-limit-per-minute", "1000",
        "wave.timeout-ms", "400", "wave.max-retries", "1", "wave.breaker-failures", "1000",
        // recovery runs when a test asks: a timer-driven run must not race the assertions
        "redemption.payout-recovery-ms", "3600000"), clock);
    http = app.http();
    fx = new GiftFixtures(app, 500);
    owner = fx.owner().getString("user_id");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** A redeemed gift of {@code price} at {@code partner}, redeemed at {@code at} (seeded: redemption has its own tests). */
  private static UUID redeemed(JsonObject partner, JsonObject pack, long price, String at) {
    String pot = fx.closedPot(owner, LocalDate.parse(at.substring(0, 10)).minusDays(1), price, pack.getString("id"));
    return Await.result(app.sql().preparedQuery("""
            INSERT INTO redemption.qr_codes (pot_id, pack_id, code, code_ciphertext, redeemable_from, expires_at, status, redeemed_at,
              redeemed_by_partner_id, owner_user_id, partner_id, pack_name, price_paid_cfa, raised_cfa, surplus_cfa)
            VALUES ($1, $2, md5(random()::text), 'seeded', $3::timestamptz - interval '1 day', $3::timestamptz + interval '90 days', 'redeemed', $3,
              $4, $5, $4, 'Pack', $6, $6, 0) RETURNING id""")
        .execute(Tuple.of(UUID.fromString(pot), UUID.fromString(pack.getString("id")), OffsetDateTime.parse(at),
            UUID.fromString(partner.getString("id")), UUID.fromString(owner), price))).iterator().next().getUUID(0);
  }

  private static JsonObject run(String date) {
    var r = http.post("/v1/admin/settlements/run", new JsonObject().put("date", date), fx.admin());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static JsonObject settlementOf(JsonObject partner, String periodEnd) {
    var list = http.get("/v1/admin/settlements?partner_id=" + partner.getString("id"), fx.admin()).bodyAsJsonObject().getJsonArray("settlements");
    return list.stream().map(o -> (JsonObject) o).filter(s -> s.getString("period_end").equals(periodEnd)).findFirst().orElse(null);
  }

  @Test
  void aMonthIsSettledExactlyOnceWithASplitThatAddsUp() {
    JsonObject partner = fx.partner("Resto Précis", 33.33, "monthly", 1_000);
    JsonObject pack = fx.pack(partner.getString("id"), "Dîner", 1_000, null);
    UUID a = redeemed(partner, pack, 12_345, "2027-01-03T12:00:00Z");
    UUID b = redeemed(partner, pack, 23_456, "2027-01-17T19:30:00Z");
    UUID c = redeemed(partner, pack, 34_567, "2027-01-31T23:59:00Z");   // last minute of January in Dakar (UTC+0)
    UUID d = redeemed(partner, pack, 9_999, "2027-02-01T00:00:30Z");    // February: not this period

    // Two runs at once (two instances, or the job and an admin): one settlement.
    Future<JsonObject> first = Bus.call(app.vertx(), RedemptionVerticle.address("settlements-run"), new JsonObject().put("date", "2027-01-31"));
    Future<JsonObject> second = Bus.call(app.vertx(), RedemptionVerticle.address("settlements-run"), new JsonObject().put("date", "2027-01-31"));
    Await.result(Future.join(first, second));
    assertEquals(1, first.result().getJsonArray("settlements").size() + second.result().getJsonArray("settlements").size());
    assertEquals(0, run("2027-01-31").getJsonArray("settlements").size(), "a period is settled once");

    JsonObject s = settlementOf(partner, "2027-01-31");
    long revenue = 12_345 + 23_456 + 34_567;
    long share = BigInteger.valueOf(revenue).multiply(BigInteger.valueOf(3333)).divide(BigInteger.valueOf(10_000)).longValueExact();
    assertEquals("2027-01-01", s.getString("period_start"));
    assertEquals(3, s.getInteger("redemptions"));
    assertEquals(revenue, s.getLong("revenue_cfa"));
    assertEquals(share, s.getLong("partner_share_cfa"), "floor(revenue × 33.33 / 100)");
    assertEquals(revenue - share, s.getLong("wolo_commission_cfa"));
    for (UUID in : List.of(a, b, c)) {
      assertEquals(s.getString("id"), settlementIdOf(in));
    }
    assertNull(settlementIdOf(d), "February's redemption waits for February");
  }

  @Test
  void aShareBelowTheMinimumCarriesOverToTheNextPeriod() {
    JsonObject partner = fx.partner("Petit Spa", 50, "monthly", 10_000);
    JsonObject pack = fx.pack(partner.getString("id"), "Soin", 1_000, null);
    UUID jan1 = redeemed(partner, pack, 7_000, "2027-01-10T10:00:00Z");
    UUID jan2 = redeemed(partner, pack, 8_000, "2027-01-20T10:00:00Z");
    run("2027-01-31");
    assertNull(settlementOf(partner, "2027-01-31"), "7,500 francs is below the 10,000 minimum");
    assertNull(settlementIdOf(jan1));
    UUID feb = redeemed(partner, pack, 8_000, "2027-02-14T10:00:00Z");
    run("2027-02-28");
    JsonObject s = settlementOf(partner, "2027-02-28");
    assertEquals(3, s.getInteger("redemptions"), "January's redemptions carried over");
    assertEquals(23_000, s.getLong("revenue_cfa"));
    assertEquals(11_500, s.getLong("partner_share_cfa"));
    for (UUID in : List.of(jan1, jan2, feb)) {
      assertEquals(s.getString("id"), settlementIdOf(in));
    }
  }

  @Test
  void weeklyPartnersAreSettledOnSundays() {
    JsonObject partner = fx.partner("Ciné Hebdo", 60, "weekly", 1_000);
    JsonObject pack = fx.pack(partner.getString("id"), "Séance", 1_000, null);
    redeemed(partner, pack, 5_000, "2027-01-05T10:00:00Z");   // Tuesday of the week 4–10 January
    run("2027-01-06");
    assertNull(settlementOf(partner, "2027-01-06"), "Wednesday ends no week");
    run("2027-01-10");
    assertEquals("2027-01-04", settlementOf(partner, "2027-01-10").getString("period_start"));
  }

  /** Wave pays but its answer is lost (a crash between the call and the commit looks the same): the retry with the same key pays nothing more. */
  @Test
  void aPayoutWhoseAnswerIsLostIsCompletedWithoutPayingTwice() {
    JsonObject settlement = approvedSettlement("Ciné Panne", "2027-01-31");
    String id = settlement.getString("id");
    int before = app.wave().payouts().made();
    app.wave().payouts().holdResponses(true);
    try {
      var pending = http.post("/v1/admin/settlements/" + id + "/pay", new JsonObject(), fx.admin());
      assertEquals(200, pending.statusCode(), pending.bodyAsString());
      assertEquals("approved", pending.bodyAsJsonObject().getString("status"), "the outcome is unknown: not marked paid");
      assertEquals(before + 1, app.wave().payouts().made(), "Wave did pay");
    } finally {
      app.wave().payouts().holdResponses(false);
    }
    assertEquals("payout_in_progress", Http.errorCode(http.post("/v1/admin/settlements/" + id + "/pay", new JsonObject(), fx.admin())),
        "a second admin cannot start another payment while the first is unresolved");
    assertEquals("invalid_transition", Http.errorCode(http.post("/v1/admin/settlements/" + id + "/dispute",
        new JsonObject().put("reason", "?"), fx.admin())), "nor dispute it while money may be moving");

    clock.advance(Duration.ofMinutes(3));
    Await.result(Bus.call(app.vertx(), RedemptionVerticle.address("payout-recover"), new JsonObject()));
    JsonObject after = http.get("/v1/admin/settlements/" + id, fx.admin()).bodyAsJsonObject();
    assertEquals("paid", after.getString("status"));
    assertEquals(before + 1, app.wave().payouts().made(), "the same Idempotency-Key: the same payout");
    assertEquals(app.wave().payouts().byClientReference(id).getString("id"), after.getString("payment_reference"));
  }

  @Test
  void twoAdminsPayingAtOnceMakeOnePayout() {
    String id = approvedSettlement("Ciné Double", "2027-01-31").getString("id");
    int before = app.wave().payouts().made();
    List<Future<HttpResponse<Buffer>>> clicks = List.of(
        app.client().post("/v1/admin/settlements/" + id + "/pay").putHeader("Authorization", "Bearer " + fx.admin()).send(),
        app.client().post("/v1/admin/settlements/" + id + "/pay").putHeader("Authorization", "Bearer " + fx.admin()).send());
    Await.result(Future.join(clicks));
    assertEquals(1, clicks.stream().filter(c -> c.result().statusCode() == 200).count());
    String refused = Http.errorCode(clicks.stream().filter(c -> c.result().statusCode() != 200).findFirst().orElseThrow().result());
    assertTrue(refused.equals("payout_in_progress") || refused.equals("already_paid"), refused);
    assertEquals(before + 1, app.wave().payouts().made());
    assertEquals("paid", http.get("/v1/admin/settlements/" + id, fx.admin()).bodyAsJsonObject().getString("status"));
  }

  @Test
  void aFailedPayoutLeavesTheSettlementApprovedAndANewAttemptPays() {
    String id = approvedSettlement("Ciné Échec", "2027-01-31").getString("id");
    app.wave().payouts().nextStatus("failed");
    var failed = http.post("/v1/admin/settlements/" + id + "/pay", new JsonObject(), fx.admin());
    assertEquals(200, failed.statusCode(), failed.bodyAsString());
    assertEquals("approved", failed.bodyAsJsonObject().getString("status"));
    assertEquals("failed", failed.bodyAsJsonObject().getString("payout_status"));
    assertEquals("recipient-not-found", failed.bodyAsJsonObject().getString("payout_failure"));
    var paid = http.post("/v1/admin/settlements/" + id + "/pay", new JsonObject(), fx.admin());
    assertEquals("paid", paid.bodyAsJsonObject().getString("status"), "a new key: a new payment, since the first one failed");
  }

  /** Issue 15: a paid settlement is kept 7 years (its period's end + 7 years), then deleted with the gifts it paid. */
  @Test
  void paidSettlementsGoAfterSevenYearsWithTheGiftsTheyPaid() {
    String id = approvedSettlement("Ciné Archives", "2027-01-31").getString("id");
    assertEquals("paid", http.post("/v1/admin/settlements/" + id + "/pay", new JsonObject(), fx.admin()).bodyAsJsonObject().getString("status"));
    String gifts = "SELECT count(*) FROM redemption.qr_codes WHERE settlement_id = $1";
    long paidGifts = Await.result(app.sql().preparedQuery(gifts).execute(Tuple.of(UUID.fromString(id)))).iterator().next().getLong(0);
    assertTrue(paidGifts >= 1);
    Instant now = clock.instant();
    try {
      clock.set(Instant.parse("2034-01-30T12:00:00Z"));
      retention();
      assertEquals(1, settlements(id), "not yet 7 years after the period's end");
      clock.set(Instant.parse("2034-02-01T12:00:00Z"));
      assertTrue(retention() >= 1);
      assertEquals(0, settlements(id));
      assertEquals(0, Await.result(app.sql().preparedQuery(gifts).execute(Tuple.of(UUID.fromString(id)))).iterator().next().getLong(0),
          "its gifts went with it: none can look unpaid and be settled again");
    } finally {
      clock.set(now);
    }
  }

  private static int retention() {
    return Await.result(sn.wolo.platform.bus.Bus.call(app.vertx(), "wolo.redemption.retention", new JsonObject())).getInteger("settlements_deleted");
  }

  private static long settlements(String id) {
    return Await.result(app.sql().preparedQuery("SELECT count(*) FROM redemption.partner_settlements WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(id)))).iterator().next().getLong(0);
  }

  @Test
  void aDisputedSettlementIsNotPaidUntilReopenedAndApproved() {
    JsonObject partner = fx.partner("Ciné Litige", 50, "monthly", 1_000);
    redeemed(partner, fx.pack(partner.getString("id"), "Séance", 1_000, null), 4_000, "2027-01-12T10:00:00Z");
    run("2027-01-31");
    String id = settlementOf(partner, "2027-01-31").getString("id");
    assertEquals(200, http.post("/v1/admin/settlements/" + id + "/dispute", new JsonObject().put("reason", "Deux séances contestées"), fx.admin()).statusCode());
    assertEquals("settlement_not_approved", Http.errorCode(http.post("/v1/admin/settlements/" + id + "/pay", new JsonObject(), fx.admin())));
    assertEquals("invalid_transition", Http.errorCode(http.post("/v1/admin/settlements/" + id + "/approve", new JsonObject(), fx.admin())));
    assertEquals("pending", http.post("/v1/admin/settlements/" + id + "/reopen", new JsonObject(), fx.admin()).bodyAsJsonObject().getString("status"));
    assertEquals("approved", http.post("/v1/admin/settlements/" + id + "/approve", new JsonObject(), fx.admin()).bodyAsJsonObject().getString("status"));
    // Issue 15: each transition is audited in its own transaction (the refused approve wrote nothing).
    var trail = http.get("/v1/admin/audit-logs?resource_type=settlement&resource_id=" + id, fx.admin()).bodyAsJsonObject().getJsonArray("items");
    // (the test clock stands still: the three rows share a timestamp, so their order is not asserted)
    assertEquals(java.util.Set.of("settlement.approved", "settlement.reopened", "settlement.disputed"),
        trail.stream().map(o -> ((JsonObject) o).getString("action")).collect(java.util.stream.Collectors.toSet()));
    assertEquals(3, trail.size());
    JsonObject disputed = trail.stream().map(o -> (JsonObject) o).filter(a -> a.getString("action").equals("settlement.disputed")).findFirst().orElseThrow();
    assertEquals("Deux séances contestées", disputed.getString("reason"));
    assertTrue(disputed.getString("request_id") != null && disputed.getString("actor_user_id") != null);
  }

  private static JsonObject approvedSettlement(String partnerName, String periodEnd) {
    JsonObject partner = fx.partner(partnerName, 70, "monthly", 1_000);
    redeemed(partner, fx.pack(partner.getString("id"), "Séance", 1_000, null), 20_000, "2027-01-15T10:00:00Z");
    run(periodEnd);
    String id = settlementOf(partner, periodEnd).getString("id");
    var approved = http.post("/v1/admin/settlements/" + id + "/approve", new JsonObject(), fx.admin());
    assertEquals(200, approved.statusCode(), approved.bodyAsString());
    return approved.bodyAsJsonObject();
  }

  private static String settlementIdOf(UUID giftId) {
    UUID id = Await.result(app.sql().preparedQuery("SELECT settlement_id FROM redemption.qr_codes WHERE id = $1").execute(Tuple.of(giftId)))
        .iterator().next().getUUID(0);
    return id == null ? null : id.toString();
  }
}
