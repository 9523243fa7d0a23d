package sn.wolo.pack;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13: partners' life cycle, packs as admins write them, and what the public catalogue shows (Dakar's day). */
class PackCatalogueTest {

  private static TestApp app;
  private static Http http;
  private static String admin;

  @BeforeAll
  static void start() {
    // 23:30 UTC on 31 March is 23:30 in Dakar: "today" is still 31 March.
    app = TestApp.start(Map.of(), new MutableClock(Instant.parse("2027-03-31T23:30:00Z")));
    http = app.http();
    admin = app.accounts().admin(app.sql(), "+221761110001");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static JsonObject partner(String name) {
    var r = http.post("/v1/admin/partners", new JsonObject().put("name", name).put("type", "restaurant").put("contact_phone", "+221771112233")
        .put("revenue_split_percentage", 72.5).put("venues", new JsonArray().add(new JsonObject().put("id", "almadies")
            .put("name", name).put("city", "Dakar"))), admin);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static String pack(String partnerId, JsonObject extra) {
    var r = http.post("/v1/admin/packs", new JsonObject().put("name", "Dîner").put("description", "Pour deux").put("category", "restaurant")
        .put("base_price_cfa", 20_000).put("partner_id", partnerId).mergeIn(extra), admin);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("id");
  }

  private static boolean listed(String packId) {
    var r = http.get("/v1/packs?category=restaurant&size=100", null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsString().contains(packId);
  }

  @Test
  void aPartnerIsVerifiedBeforeItsActivationAndFollowsItsStateMachine() {
    String id = partner("Chez Loutcha").getString("id");
    assertEquals("pending", http.get("/v1/admin/partners/" + id, admin).bodyAsJsonObject().getString("status"));
    assertEquals("partner_not_verified", Http.errorCode(http.post("/v1/admin/partners/" + id + "/status", new JsonObject().put("status", "active"), admin)));
    assertEquals(200, http.post("/v1/admin/partners/" + id + "/verify", new JsonObject(), admin).statusCode());
    assertTrue(http.get("/v1/admin/partners/" + id, admin).bodyAsJsonObject().getString("verified_at") != null);
    for (String[] step : new String[][] {{"active", "200"}, {"suspended", "200"}, {"active", "200"}, {"terminated", "200"}, {"active", "409"}}) {
      var r = http.post("/v1/admin/partners/" + id + "/status", new JsonObject().put("status", step[0]), admin);
      assertEquals(Integer.parseInt(step[1]), r.statusCode(), step[0] + ": " + r.bodyAsString());
    }
    assertEquals("invalid_status", Http.errorCode(http.post("/v1/admin/partners/" + id + "/status", new JsonObject().put("status", "closed"), admin)));
  }

  @Test
  void inputIsCheckedAndUnknownFieldsAreRefused() {
    assertEquals("invalid_revenue_split_percentage", Http.errorCode(http.post("/v1/admin/partners", new JsonObject().put("name", "X")
        .put("type", "spa").put("contact_phone", "+221771112233").put("revenue_split_percentage", 100.001), admin)));
    assertEquals("unsupported_phone_number", Http.errorCode(http.post("/v1/admin/partners", new JsonObject().put("name", "X")
        .put("type", "spa").put("contact_phone", "+221338391234").put("revenue_split_percentage", 50), admin)), "payouts go to a Wave MOBILE");
    assertEquals("unknown_field", Http.errorCode(http.post("/v1/admin/partners", new JsonObject().put("name", "X")
        .put("type", "spa").put("contact_phone", "+221771112233").put("revenue_split_percentage", 50).put("split", 50), admin)));
    String partnerId = partner("Le Lagon").getString("id");
    JsonObject base = new JsonObject().put("name", "Dîner").put("description", "d").put("category", "restaurant").put("partner_id", partnerId);
    assertEquals("invalid_base_price_cfa", Http.errorCode(http.post("/v1/admin/packs", base.copy().put("base_price_cfa", 1500.5), admin)), "whole francs only");
    assertEquals("invalid_discounted_price_cfa", Http.errorCode(http.post("/v1/admin/packs", base.copy().put("base_price_cfa", 1000)
        .put("discounted_price_cfa", 2000), admin)));
    assertEquals("invalid_venue_restrictions", Http.errorCode(http.post("/v1/admin/packs", base.copy().put("base_price_cfa", 1000)
        .put("venue_restrictions", new JsonArray().add("ailleurs")), admin)));
    assertEquals("invalid_partner_id", Http.errorCode(http.post("/v1/admin/packs", base.copy().put("base_price_cfa", 1000)
        .put("partner_id", java.util.UUID.randomUUID().toString()), admin)));
    String user = app.accounts().otpLogin("+221761110002").getString("access_token");
    assertEquals(403, http.post("/v1/admin/packs", base.copy().put("base_price_cfa", 1000), user).statusCode(), "admins only");
  }

  @Test
  void theCatalogueShowsOnlyWhatCanBeBoughtToday() {
    JsonObject partner = partner("Terrou-Bi");
    String partnerId = partner.getString("id");
    String onSale = pack(partnerId, new JsonObject().put("discounted_price_cfa", 15_000).put("available_until", "2027-03-31"));
    assertFalse(listed(onSale), "a pending partner sells nothing");
    http.post("/v1/admin/partners/" + partnerId + "/verify", new JsonObject(), admin);
    http.post("/v1/admin/partners/" + partnerId + "/status", new JsonObject().put("status", "active"), admin);
    assertTrue(listed(onSale), "the last day of its window, in Dakar");
    String tomorrow = pack(partnerId, new JsonObject().put("available_from", "2027-04-01"));
    String soldOut = pack(partnerId, new JsonObject().put("total_available_quantity", 0));
    String inactive = pack(partnerId, new JsonObject().put("is_active", false));
    assertFalse(listed(tomorrow));
    assertFalse(listed(soldOut));
    assertFalse(listed(inactive));
    JsonObject shown = http.get("/v1/packs/" + onSale, null).bodyAsJsonObject();
    assertEquals(15_000, shown.getLong("price_cfa"), "the discounted price is the price");
    assertEquals(404, http.get("/v1/packs/" + inactive, null).statusCode());
    // An explicit null clears an optional field; an absent one is kept.
    var patched = http.send(io.vertx.core.http.HttpMethod.PATCH, "/v1/admin/packs/" + onSale,
        new JsonObject().putNull("discounted_price_cfa"), admin);
    assertEquals(200, patched.statusCode(), patched.bodyAsString());
    assertEquals(20_000, patched.bodyAsJsonObject().getLong("price_cfa"));
    assertEquals("2027-03-31", patched.bodyAsJsonObject().getString("available_until"));
    http.post("/v1/admin/partners/" + partnerId + "/status", new JsonObject().put("status", "suspended"), admin);
    assertFalse(listed(onSale), "a suspended partner's packs leave the catalogue");
    var page = http.get("/v1/packs?page=0&size=1", null).bodyAsJsonObject();
    assertEquals(1, page.getInteger("size"));
    assertEquals("invalid_category", Http.errorCode(http.get("/v1/packs?category=bijoux", null)));
  }
}
