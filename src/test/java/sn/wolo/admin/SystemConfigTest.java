package sn.wolo.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.TestApp;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sn.wolo.testing.Http.errorCode;

/**
 * Issue 15: business parameters changed without a deploy — validated by type and JSON-Schema rules,
 * sensitive ones encrypted and masked, audited, and applied by the domains at once (the daily
 * invitation limit, the donation risk threshold).
 */
class SystemConfigTest {

  private static TestApp app;
  private static Http http;
  private static String admin;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("http.rate-limit-per-minute", "1000000"), java.time.Clock.systemUTC());
    http = app.http();
    admin = app.accounts().admin(app.sql(), "+221770654001");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static JsonObject item(String key) {
    JsonArray items = http.get("/v1/admin/config", admin).bodyAsJsonObject().getJsonArray("items");
    return items.stream().map(JsonObject.class::cast).filter(i -> key.equals(i.getString("key"))).findFirst().orElseThrow();
  }

  @Test
  void valuesAreCheckedAgainstTheirRulesBeforeTheyAreStored() {
    String limit = "/v1/admin/config/referral.max-invitations-per-day";
    assertEquals(50, item("referral.max-invitations-per-day").getInteger("default"));
    for (Object bad : new Object[] {51, 0, "10", 2.5, true, new JsonObject()}) {
      var r = http.put(limit, new JsonObject().put("value", bad), admin);
      assertEquals(400, r.statusCode(), bad + " → " + r.bodyAsString());
      assertEquals("invalid_value", errorCode(r));
    }
    assertEquals("unknown_config_key", errorCode(http.put("/v1/admin/config/security.master-key", new JsonObject().put("value", 1), admin)),
        "secrets are not runtime parameters");
    assertEquals("unknown_field", errorCode(http.put(limit, new JsonObject().put("value", 5).put("valeur", 5), admin)));
    assertEquals(403, http.put(limit, new JsonObject().put("value", 5), app.accounts().otpLogin("+221770654002").getString("access_token"))
        .statusCode());
  }

  @Test
  void aChangedLimitAppliesAtOnceAndIsAudited() {
    String sponsor = app.accounts().otpLogin("+221770654003").getString("access_token");
    assertEquals(50, http.get("/v1/referrals/limits/today", sponsor).bodyAsJsonObject().getInteger("max_per_day"));
    var set = http.put("/v1/admin/config/referral.max-invitations-per-day", new JsonObject().put("value", 3).put("reason", "campagne test"), admin);
    assertEquals(200, set.statusCode(), set.bodyAsString());
    assertEquals(3, http.get("/v1/referrals/limits/today", sponsor).bodyAsJsonObject().getInteger("max_per_day"), "no deploy, no restart");
    JsonArray contacts = new JsonArray();
    for (int i = 0; i < 4; i++) contacts.add(new JsonObject().put("name", "Ami " + i).put("phone", String.format("+22178%07d", 4_400_000 + i)));
    var tooMany = http.post("/v1/referrals", new JsonObject().put("contacts", contacts).put("channel", "sms"), sponsor);
    assertEquals(429, tooMany.statusCode(), "the new limit is enforced: " + tooMany.bodyAsString());

    JsonObject entry = http.get("/v1/admin/audit-logs?resource_type=system_config&action=system_config.changed", admin).bodyAsJsonObject()
        .getJsonArray("items").getJsonObject(0);
    assertEquals("referral.max-invitations-per-day", entry.getJsonObject("metadata").getString("config_key"));
    assertEquals(3, entry.getJsonObject("new_values").getInteger("value"));
    assertEquals("campagne test", entry.getString("reason"));

    assertEquals(200, http.delete("/v1/admin/config/referral.max-invitations-per-day", admin).statusCode());
    assertEquals(50, http.get("/v1/referrals/limits/today", sponsor).bodyAsJsonObject().getInteger("max_per_day"), "back to the default");
    assertEquals("config_not_set", errorCode(http.delete("/v1/admin/config/referral.max-invitations-per-day", admin)));
  }

  @Test
  void sensitiveThresholdsAreEncryptedMaskedAndStillApplied() {
    var set = http.put("/v1/admin/config/donation.risk.refuse-threshold", new JsonObject().put("value", 30), admin);
    assertEquals(200, set.statusCode(), set.bodyAsString());
    assertEquals("***", set.bodyAsJsonObject().getString("value"));
    JsonObject listed = item("donation.risk.refuse-threshold");
    assertEquals("***", listed.getString("value"));
    assertEquals("***", listed.getString("effective"));
    Row stored = Await.result(app.sql().query("SELECT config_value::text, is_sensitive FROM admin.system_config WHERE config_key = 'donation.risk.refuse-threshold'")
        .execute()).iterator().next();
    assertTrue(stored.getBoolean(1));
    assertFalse(stored.getString(0).matches("\"?30\"?"), "encrypted at rest: " + stored.getString(0));
    String audit = http.get("/v1/admin/audit-logs?resource_type=system_config", admin).bodyAsString();
    assertFalse(audit.contains("\"value\":30"), "masked in the audit trail too");

    // Applied: the owner giving to their own pot scores 30 (donor_owns_pot) — refused at threshold 30, not at the default 70.
    JsonObject owner = app.accounts().otpLogin("+221770654004");
    String dob = java.time.LocalDate.now(java.time.ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString();
    assertEquals(200, http.put("/v1/me/profile", new JsonObject().put("full_name", "Awa Ndiaye").put("date_of_birth", dob), owner.getString("access_token"))
        .statusCode());
    var pot = http.post("/v1/pots", new JsonObject().put("title", "Anniv").put("target_amount_cfa", 50_000), owner.getString("access_token"));
    assertEquals(201, pot.statusCode(), pot.bodyAsString());
    String donate = "/v1/pots/" + pot.bodyAsJsonObject().getString("id") + "/donations";
    var refused = http.post(donate, new JsonObject().put("amount_cfa", 5_000), owner.getString("access_token"));
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertEquals("donation_refused_risk", errorCode(refused));
    assertEquals(200, http.delete("/v1/admin/config/donation.risk.refuse-threshold", admin).statusCode());
    var accepted = http.post(donate, new JsonObject().put("amount_cfa", 5_000), owner.getString("access_token"));
    assertEquals(201, accepted.statusCode(), accepted.bodyAsString());
  }
}
