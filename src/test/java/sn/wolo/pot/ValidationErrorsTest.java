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
    // What the contract can judge (types, enums, ranges, formats) is listed at once, before any domain rule runs ...
    assertEquals(List.of("contact_email", "revenue_split_percentage", "type"), paths(error));
    // ... and the rules only the domain knows (a Senegalese phone) come once the body matches the contract.
    var rest = http.post("/v1/admin/partners", new JsonObject().put("name", "Cinéma Plaza").put("type", "cinema")
        .put("contact_phone", "+33612345678").put("contact_email", "not-an-email@").put("revenue_split_percentage", 150), admin);
    assertEquals(400, rest.statusCode(), rest.bodyAsString());
    assertEquals(List.of("contact_email", "revenue_split_percentage"), paths(rest.bodyAsJsonObject().getJsonObject("error")));
    var domain = http.post("/v1/admin/partners", new JsonObject().put("name", "Cinéma Plaza").put("type", "cinema")
        .put("contact_phone", "+33612345678").put("contact_email", "plaza@example.sn").put("revenue_split_percentage", 30), admin);
    assertEquals(400, domain.statusCode(), domain.bodyAsString());
    assertEquals(List.of("contact_phone"), paths(domain.bodyAsJsonObject().getJsonObject("error")));
  }

  @Test
  void aCampaignWithAWordForAMultiplierIsA400ListingEveryMistake() {
    String admin = app.accounts().admin(app.sql(), "+221781240004");
    var r = http.post("/v1/admin/campaigns", new JsonObject().put("sponsor_company_name", "Orange").put("campaign_name", "Noël")
        .put("points_multiplier", "double").put("starts_at", "2027-12-31T00:00:00Z").put("ends_at", "2027-12-01T00:00:00Z"), admin);
    assertEquals(400, r.statusCode(), "a word for a number is the client's mistake, not a 500: " + r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("validation_failed", error.getString("code"));
    // The contract's judgement first, every field at once (a required budget, a number) ...
    assertEquals(List.of("budget_cfa", "points_multiplier"), paths(error));
    // ... then the rules between fields (the end after the start), which only the domain knows.
    var dates = http.post("/v1/admin/campaigns", new JsonObject().put("sponsor_company_name", "Orange").put("campaign_name", "Noël")
        .put("budget_cfa", 100_000).put("points_multiplier", 2).put("starts_at", "2027-12-31T00:00:00Z").put("ends_at", "2027-12-01T00:00:00Z"), admin);
    assertEquals(400, dates.statusCode(), dates.bodyAsString());
    assertEquals(List.of("ends_at"), paths(dates.bodyAsJsonObject().getJsonObject("error")));
  }

  @Test
  void aReferralSendListsEveryMistakeToo() {
    String sponsor = app.accounts().otpLogin("+221771240005").getString("access_token");
    var r = http.post("/v1/referrals", new JsonObject().put("channel", "pigeon").put("batch_id", "not-a-batch")
        .put("contacts", new io.vertx.core.json.JsonArray().add(new JsonObject().put("phone", 771234567))), sponsor);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("validation_failed", error.getString("code"));
    assertEquals(List.of("batch_id", "channel", "contacts[0].phone"), paths(error));
  }
}
