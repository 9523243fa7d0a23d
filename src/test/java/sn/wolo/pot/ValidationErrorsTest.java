package sn.wolo.pot;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 16: a form with several mistakes hears of all of them at once, each with its field, code and message. */
class ValidationErrorsTest {

  private static TestApp app;
  private static Http http;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("pot.sweep-ms", "3600000"), new MutableClock(Instant.parse("2027-01-10T12:00:00Z")));
    http = app.http();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static List<String> paths(JsonObject error) {
    return error.getJsonArray("fields", new JsonArray()).stream().map(f -> ((JsonObject) f).getString("path")).sorted().toList();
  }

  @Test
  void everyInvalidFieldOfAPotIsListed() {
    String token = app.accounts().otpLogin("+221781240001").getString("access_token");
    http.put("/v1/me/profile", new JsonObject().put("full_name", "Awa Ndiaye").put("date_of_birth", "1991-01-20"), token);

    var three = http.post("/v1/pots", new JsonObject().put("title", " ").put("target_amount_cfa", 1500.5).put("visibility", "secret"), token);
    assertEquals(400, three.statusCode());
    JsonObject error = three.bodyAsJsonObject().getJsonObject("error");
    assertEquals("validation_failed", error.getString("code"));
    assertEquals(List.of("target_amount_cfa", "title", "visibility"), paths(error));
    JsonObject title = error.getJsonArray("fields").stream().map(JsonObject.class::cast).filter(f -> "title".equals(f.getString("path")))
        .findFirst().orElseThrow();
    assertEquals("invalid_title", title.getString("code"));

    var one = http.post("/v1/pots", new JsonObject().put("title", "Anniversaire").put("target_amount_cfa", 10), token);
    assertEquals(400, one.statusCode());
    assertEquals("invalid_target_amount_cfa", Http.errorCode(one), "one mistake keeps its own code");
    assertEquals(List.of("target_amount_cfa"), paths(one.bodyAsJsonObject().getJsonObject("error")));

    var missing = http.post("/v1/pots", new JsonObject(), token);
    assertEquals(List.of("target_amount_cfa", "title"), paths(missing.bodyAsJsonObject().getJsonObject("error")));
  }

  @Test
  void everyInvalidFieldOfADonationIsListed() {
    String token = app.accounts().otpLogin("+221781240002").getString("access_token");
    http.put("/v1/me/profile", new JsonObject().put("full_name", "Moussa Sow").put("date_of_birth", "1991-01-20"), token);
    String potId = http.post("/v1/pots", new JsonObject().put("title", "Fête").put("target_amount_cfa", 50_000).put("visibility", "public"), token)
        .bodyAsJsonObject().getString("id");
    var r = http.post("/v1/pots/" + potId + "/donations", new JsonObject().put("amount_cfa", -5).put("message", "x".repeat(501))
        .put("is_anonymous", "yes"), null);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("validation_failed", error.getString("code"));
    assertEquals(List.of("amount_cfa", "is_anonymous", "message"), paths(error));
  }

  @Test
  void anAdminsPartnerFormListsEveryMistakeToo() {
    String admin = app.accounts().admin(app.sql(), "+221781240003");
    var r = http.post("/v1/admin/partners", new JsonObject().put("name", "Cinéma Plaza").put("type", "casino")
        .put("contact_phone", "+33612345678").put("contact_email", "not-an-email").put("revenue_split_percentage", 150), admin);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("validation_failed", error.getString("code"));
    assertEquals(List.of("contact_email", "contact_phone", "revenue_split_percentage", "type"), paths(error));
  }

  @Test
  void aCampaignWithAWordForAMultiplierIsA400ListingEveryMistake() {
    String admin = app.accounts().admin(app.sql(), "+221781240004");
    var r = http.post("/v1/admin/campaigns", new JsonObject().put("sponsor_company_name", "Orange").put("campaign_name", "Noël")
        .put("points_multiplier", "double").put("starts_at", "2027-12-31T00:00:00Z").put("ends_at", "2027-12-01T00:00:00Z"), admin);
    assertEquals(400, r.statusCode(), "a word for a number is the client's mistake, not a 500: " + r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("validation_failed", error.getString("code"));
    assertEquals(List.of("budget_cfa", "ends_at", "points_multiplier"), paths(error));
  }
}
