package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13: stock and single use hold when many clients act at once (requests sent concurrently over real HTTP). */
class GiftConcurrencyTest {

  private static TestApp app;
  private static Http http;
  private static GiftFixtures fx;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("otp.max-per-ip-per-hour", "1000", "auth.rate-limit-per-minute", "1000",
        "redemption.scans-per-minute", "1000", "db.pool-size", "16"), new MutableClock(Instant.parse("2027-03-01T10:00:00Z")));
    http = app.http();
    fx = new GiftFixtures(app, 300);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** 20 owners convert at once into a pack with 5 left: exactly 5 gifts, 15 sold out, stock 0 (never negative). */
  @Test
  void twentyConcurrentConversionsOfAPackWithFiveLeftMakeExactlyFiveGifts() {
    JsonObject partner = fx.partner("Ciné Stock", 70, "monthly", 10_000);
    JsonObject pack = fx.pack(partner.getString("id"), "Avant-première", 10_000, 5);
    List<String[]> owners = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      JsonObject owner = fx.owner();
      String pot = fx.closedPot(owner.getString("user_id"), LocalDate.parse("2027-02-27"), 12_000, pack.getString("id"));
      owners.add(new String[] {pot, owner.getString("access_token")});
    }
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (String[] o : owners) {
      calls.add(app.client().post("/v1/pots/" + o[0] + "/gift/convert").putHeader("Authorization", "Bearer " + o[1]).send());
    }
    Await.result(Future.join(calls), 60);
    long created = calls.stream().filter(c -> c.result().statusCode() == 201).count();
    long soldOut = calls.stream().filter(c -> "pack_sold_out".equals(Http.errorCode(c.result()))).count();
    assertEquals(5, created);
    assertEquals(15, soldOut, "the others are told, nothing else fails");
    assertEquals(0, fx.count("SELECT total_available_quantity FROM packs.packs WHERE id = $1", UUID.fromString(pack.getString("id"))));
    assertEquals(5, fx.count("SELECT count(*) FROM redemption.qr_codes WHERE pack_id = $1", UUID.fromString(pack.getString("id"))));
    assertEquals(5, fx.count("SELECT count(*) FROM pots.pots WHERE preferred_pack_id = $1 AND gift_converted_at IS NOT NULL",
        UUID.fromString(pack.getString("id"))), "a refused conversion leaves its pot untouched");
    var catalogue = http.get("/v1/packs?category=cinema", null).bodyAsString();
    assertTrue(!catalogue.contains(pack.getString("id")), "a sold-out pack leaves the catalogue");
  }

  /** One token scanned 50 times at once: one success, 49 already_redeemed, 50 log rows. */
  @Test
  void fiftyConcurrentScansOfOneTokenRedeemItOnce() throws Exception {
    JsonObject partner = fx.partner("Ciné Rush", 70, "monthly", 10_000);
    JsonObject pack = fx.pack(partner.getString("id"), "Séance", 5_000, null);
    JsonObject owner = fx.owner();
    String pot = fx.closedPot(owner.getString("user_id"), LocalDate.parse("2027-02-27"), 5_000, pack.getString("id"));
    var converted = http.post("/v1/pots/" + pot + "/gift/convert", new JsonObject(), owner.getString("access_token"));
    assertEquals(201, converted.statusCode(), converted.bodyAsString());
    String giftId = converted.bodyAsJsonObject().getString("id");
    String token = GiftJourneyTest.decode(http.get("/v1/gifts/" + giftId + "/qr.png", owner.getString("access_token")).body().getBytes());
    String cashier = fx.partnerUser(partner.getString("id"));

    List<Future<HttpResponse<Buffer>>> scans = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      scans.add(app.client().post("/v1/partner/redemptions").putHeader("Authorization", "Bearer " + cashier)
          .sendJsonObject(new JsonObject().put("token", token)));
    }
    Await.result(Future.join(scans), 60);
    assertEquals(1, scans.stream().filter(s -> s.result().statusCode() == 200).count());
    assertEquals(49, scans.stream().filter(s -> "already_redeemed".equals(Http.errorCode(s.result()))).count());
    assertEquals(50, fx.count("SELECT count(*) FROM redemption.qr_redemption_logs WHERE qr_code_id = $1 AND action = 'redeem'", UUID.fromString(giftId)));
    assertEquals(1, fx.count("SELECT count(*) FROM redemption.qr_redemption_logs WHERE qr_code_id = $1 AND validation_result = 'success'", UUID.fromString(giftId)));
    assertEquals(1, fx.count("SELECT count(*) FROM platform.outbox WHERE event_type = 'gift.redeemed' AND aggregate_id = $1", giftId));
  }

  /** A sponsor campaign's budget is never exceeded by concurrent spends, and the spend that exhausts it completes it. */
  @Test
  void concurrentSpendsNeverExceedACampaignBudget() {
    var created = http.post("/v1/admin/campaigns", new JsonObject().put("sponsor_company_name", "Orange").put("campaign_name", "Tabaski")
        .put("budget_cfa", 10_000).put("starts_at", "2027-02-01T00:00:00Z").put("ends_at", "2027-04-01T00:00:00Z"), fx.admin());
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String id = created.bodyAsJsonObject().getString("id");
    assertEquals("campaign_not_active", Http.errorCode(http.post("/v1/admin/campaigns/" + id + "/spend", new JsonObject().put("amount_cfa", 1000), fx.admin())));
    assertEquals(200, http.post("/v1/admin/campaigns/" + id + "/status", new JsonObject().put("status", "active"), fx.admin()).statusCode());
    List<Future<HttpResponse<Buffer>>> spends = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      spends.add(app.client().post("/v1/admin/campaigns/" + id + "/spend").putHeader("Authorization", "Bearer " + fx.admin())
          .sendJsonObject(new JsonObject().put("amount_cfa", 700)));
    }
    Await.result(Future.join(spends), 60);
    long ok = spends.stream().filter(s -> s.result().statusCode() == 200).count();
    assertEquals(14, ok, "14 × 700 = 9,800 ≤ 10,000 < 15 × 700");
    assertEquals(16, spends.stream().filter(s -> "campaign_budget_exhausted".equals(Http.errorCode(s.result()))).count());
    assertEquals(9_800, fx.count("SELECT spent_cfa FROM packs.sponsor_campaigns WHERE id = $1", UUID.fromString(id)));
    var last = http.post("/v1/admin/campaigns/" + id + "/spend", new JsonObject().put("amount_cfa", 200), fx.admin());
    assertEquals("completed", last.bodyAsJsonObject().getString("status"), "the spend that reaches the budget completes it");
    assertEquals("invalid_transition", Http.errorCode(http.post("/v1/admin/campaigns/" + id + "/status", new JsonObject().put("status", "active"), fx.admin())));
  }
}
