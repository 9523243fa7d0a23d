package sn.wolo.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.bus.Bus;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, spec §6 retention with the clock moved: Wave webhooks lose the payer's details after 90
 * days, donations with their webhooks go after 7 years, the audit trail after 5 — each by its job
 * only, idempotent.
 */
class DataRetentionTest {

  private static TestApp app;
  private static Http http;
  private static MutableClock clock;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now());
    app = TestApp.start(Map.of("http.rate-limit-per-minute", "1000000", "donation.reconcile-ms", "3600000"), clock);
    http = app.http();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static long count(String sql, Object... params) {
    return Await.result(app.sql().preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
  }

  private static JsonObject run(String address) {
    return Await.result(Bus.call(app.vertx(), address, new JsonObject()));
  }

  /** A paid guest donation of 3,000 F with the payer's phone; its id. */
  private static UUID paidDonation(String ownerPhone) {
    String owner = app.accounts().otpLogin(ownerPhone).getString("access_token");
    String dob = LocalDate.now(ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString();
    http.put("/v1/me/profile", new JsonObject().put("full_name", "Khady Fall").put("date_of_birth", dob), owner);
    String pot = http.post("/v1/pots", new JsonObject().put("title", "Fête").put("target_amount_cfa", 50_000).put("visibility", "public"), owner)
        .bodyAsJsonObject().getString("id");
    var created = http.post("/v1/pots/" + pot + "/donations", new JsonObject().put("amount_cfa", 3_000).put("donor_name", "Modou")
        .put("donor_phone", "77 500 60 70"), null);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    Await.result(app.wave().complete(created.bodyAsJsonObject().getString("checkout_session_id")));
    clock.advance(Duration.ofSeconds(30));   // the stored webhook is due (the test clock does not tick by itself)
    UUID id = UUID.fromString(created.bodyAsJsonObject().getString("id"));
    Eventually.until("paid", () -> count("SELECT count(*) FROM donations.donations WHERE id = $1 AND status = 'succeeded'", id) == 1);
    return id;
  }

  @Test
  void webhookPayloadsLoseThePayerAfter90DaysAndDonationsGoAfter7Years() {
    UUID old = paidDonation("+221770990001");
    UUID recent = paidDonation("+221770990002");
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    Await.result(app.sql().preparedQuery("UPDATE donations.wave_webhook_events SET created_at = $2 WHERE donation_id = $1")
        .execute(Tuple.of(old, now.minusDays(91))));

    JsonObject first = run("wolo.donation.retention");
    assertEquals(1, first.getInteger("webhook_payloads_stripped"), first.encode());
    Row stripped = Await.result(app.sql().preparedQuery("SELECT raw_payload, payload_stripped_at FROM donations.wave_webhook_events WHERE donation_id = $1")
        .execute(Tuple.of(old))).iterator().next();
    JsonObject payload = (JsonObject) stripped.getValue(0);
    assertEquals(true, payload.getBoolean("personal_data_removed"));
    assertEquals(old.toString(), payload.getJsonObject("data").getString("client_reference"), "the money facts stay");
    assertEquals("3000", payload.getJsonObject("data").getString("amount"));
    assertEquals(0, run("wolo.donation.retention").getInteger("webhook_payloads_stripped"), "idempotent");

    // Seven years on for the old one only: it goes with its webhook; the recent one stays.
    Await.result(app.sql().preparedQuery("UPDATE donations.donations SET created_at = $2 WHERE id = $1").execute(Tuple.of(old, now.minusYears(7).minusDays(1))));
    Await.result(app.sql().preparedQuery("UPDATE donations.wave_webhook_events SET created_at = $2 WHERE donation_id = $1")
        .execute(Tuple.of(old, now.minusYears(7).minusDays(1))));
    JsonObject second = run("wolo.donation.retention");
    assertEquals(1, second.getInteger("donations_deleted"), second.encode());
    assertEquals(0, count("SELECT count(*) FROM donations.donations WHERE id = $1", old));
    assertEquals(0, count("SELECT count(*) FROM donations.wave_webhook_events WHERE donation_id = $1", old));
    assertEquals(1, count("SELECT count(*) FROM donations.donations WHERE id = $1", recent));
    assertFalse(count("SELECT count(*) FROM donations.wave_webhook_events WHERE donation_id = $1", recent) == 0);
  }

  @Test
  void theAuditTrailIsKeptFiveYearsThenDeletedByItsJobOnly() {
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    Await.result(app.sql().preparedQuery("""
        INSERT INTO admin.audit_logs (actor_type, action, resource_type, "timestamp", reason)
        VALUES ('system', 'retention.probe', 'test', $1, 'six years'), ('system', 'retention.probe', 'test', $2, 'four years')""")
        .execute(Tuple.of(now.minusYears(6), now.minusYears(4))));
    var refused = assertThrows(RuntimeException.class, () -> Await.result(app.sql()
        .query("DELETE FROM admin.audit_logs WHERE action = 'retention.probe'").execute()));
    assertTrue(refused.getMessage().contains("append-only"));
    assertTrue(run("wolo.admin.audit-retention").getInteger("deleted") >= 1);
    assertEquals(0, count("SELECT count(*) FROM admin.audit_logs WHERE action = 'retention.probe' AND reason = 'six years'"));
    assertEquals(1, count("SELECT count(*) FROM admin.audit_logs WHERE action = 'retention.probe' AND reason = 'four years'"));
  }
}
