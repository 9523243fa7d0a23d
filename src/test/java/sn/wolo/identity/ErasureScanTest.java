package sn.wolo.identity;

import io.vertx.core.json.JsonArray;
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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, the right to erasure end to end: a person who signed up, made a pot, gave (named, with a
 * message, paid through Wave), was invited, received messages and sent analytics asks to be erased;
 * the account is frozen at once and nothing changes for 30 days; then every domain erases, and a
 * scan of every text and JSON column of every table finds neither their phone nor their name.
 */
class ErasureScanTest {

  private static final String PHONE = "+221770881234";
  private static final String NAME = "Ndeye Fatou Erasmus";
  private static TestApp app;
  private static Http http;
  private static MutableClock clock;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now());
    app = TestApp.start(Map.of("http.rate-limit-per-minute", "1000000", "donation.risk.max-per-ip-per-hour", "1000"), clock);
    http = app.http();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String pot(String token, String owner, String title) {
    String dob = LocalDate.now(ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString();
    assertEquals(200, http.put("/v1/me/profile", new JsonObject().put("full_name", owner).put("date_of_birth", dob), token).statusCode());
    var pot = http.post("/v1/pots", new JsonObject().put("title", title).put("target_amount_cfa", 50_000).put("visibility", "public"), token);
    assertEquals(201, pot.statusCode(), pot.bodyAsString());
    return pot.bodyAsJsonObject().getString("id");
  }

  @Test
  void afterTheGraceNoTableHoldsThePersonsPhoneOrName() {
    JsonObject person = app.accounts().otpLogin(PHONE);
    String token = person.getString("access_token");
    UUID id = UUID.fromString(person.getString("user_id"));
    pot(token, NAME, "Les 30 ans de " + NAME);

    // A friend's pot: the person gives signed in (name, message) and pays; and as a guest with their phone.
    String friend = app.accounts().otpLogin("+221770881235").getString("access_token");
    String friendsPot = pot(friend, "Awa Amie", "Cadeau pour Awa");
    var given = http.post("/v1/pots/" + friendsPot + "/donations", new JsonObject().put("amount_cfa", 5_000).put("donor_name", NAME)
        .put("message", "Joyeux anniversaire de la part de " + NAME), token);
    assertEquals(201, given.statusCode(), given.bodyAsString());
    Await.result(app.wave().complete(given.bodyAsJsonObject().getString("checkout_session_id")));
    var asGuest = http.post("/v1/pots/" + friendsPot + "/donations", new JsonObject().put("amount_cfa", 2_000).put("donor_name", NAME)
        .put("donor_phone", PHONE), null);
    assertEquals(201, asGuest.statusCode(), asGuest.bodyAsString());
    String paid = given.bodyAsJsonObject().getString("id");
    clock.advance(Duration.ofSeconds(30));   // the stored webhook is due (the test clock does not tick by itself)
    Eventually.until("the gift paid", () -> count("SELECT count(*) FROM donations.donations WHERE id = $1 AND status = 'succeeded'", UUID.fromString(paid)) == 1);

    // The friend invites the person by phone and name; the person sends analytics from the app.
    assertEquals(201, http.post("/v1/referrals", new JsonObject().put("channel", "sms")
        .put("contacts", new JsonArray().add(new JsonObject().put("name", NAME).put("phone", PHONE))), friend).statusCode());
    var events = Await.result(app.client().post("/v1/analytics/events").putHeader("Authorization", "Bearer " + token)
        .putHeader("User-Agent", "WoloApp/2.1 (Android 14; Erasmus-Phone)")
        .sendJsonObject(new JsonObject().put("events", new JsonArray().add(new JsonObject().put("event_name", "pot_viewed")
            .put("event_category", "pot").put("timestamp", clock.instant().minusSeconds(5).toString()).put("platform", "android")
            .put("anonymous_id", "device-erasmus")))));
    assertTrue(events.statusCode() < 300, events.bodyAsString());
    Eventually.until("analytics stored", () -> count("SELECT count(*) FROM analytics.analytics_events WHERE user_id = $1", id) > 0);
    Eventually.until("the invitation sent", () -> count("SELECT count(*) FROM notifications.notifications WHERE recipient_identifier = $1", PHONE) >= 2);

    // Before: the export holds what every domain knows of the person (streamed, one JSON document).
    var exported = http.get("/v1/me/export", token);
    assertEquals(200, exported.statusCode());
    assertEquals("no-store", exported.getHeader("Cache-Control"));
    JsonObject data = exported.bodyAsJsonObject().getJsonObject("data");
    assertEquals(PHONE, data.getJsonObject("identity").getString("phone"));
    assertEquals(NAME, data.getJsonObject("profile").getString("full_name"));
    assertEquals(1, data.getJsonObject("pot").getJsonArray("pots").size());
    assertEquals(given.bodyAsJsonObject().getString("id"), data.getJsonObject("donation").getJsonArray("donations_made").getJsonObject(0).getString("id"));
    assertTrue(data.getJsonObject("analytics").getJsonArray("events").size() >= 1);
    assertTrue(data.getJsonObject("notification").getJsonArray("messages").size() >= 1, "the sign-in code message");
    JsonObject received = http.get("/v1/me/export", friend).bodyAsJsonObject().getJsonObject("data").getJsonObject("donation")
        .getJsonArray("donations_received").getJsonObject(0);
    assertEquals(NAME, received.getString("donor_name"), "the friend's export shows who gave to their pot");

    var requested = http.delete("/v1/me", token);
    assertEquals(202, requested.statusCode(), requested.bodyAsString());
    assertEquals(401, http.get("/v1/me", token).statusCode(), "frozen at once");
    clock.advance(Duration.ofDays(29));
    assertEquals(0, erase().getInteger("erased"), "nothing is erased during the grace");
    assertTrue(count("SELECT count(*) FROM identity.users WHERE id = $1 AND phone = $2", id, PHONE) == 1);

    clock.advance(Duration.ofDays(2));
    assertEquals(1, erase().getInteger("erased"));
    Eventually.until("every domain reacted", () -> count("""
        SELECT count(*) FROM platform.outbox o WHERE o.event_type = 'identity.user_erased' AND o.published_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM platform.undelivered_events d WHERE d.event_id = o.event_id)""") == 1);

    // Published events are kept 7 days (they may carry a donor's name to the pot's owner), then purged.
    Await.result(Bus.call(app.vertx(), sn.wolo.platform.events.OutboxRelayVerticle.PURGE_NOW, new JsonObject()));
    List<String> found = scan(List.of(PHONE, PHONE.substring(4), NAME, "Erasmus"));
    assertEquals(List.of(), found, "personal values left after the erasure");
    Row kept = Await.result(app.sql().preparedQuery("SELECT amount_cfa, status FROM donations.donations WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(paid)))).iterator().next();
    assertEquals(5_000, kept.getInteger("amount_cfa"), "amounts stay for the 7-year financial duty");
    assertEquals("succeeded", kept.getString("status"));

    clock.advance(Duration.ofDays(8));
    assertEquals(1, erase().getInteger("identifiers_purged"), "the encrypted identifiers go 7 days after the erasure");
    assertNotNull(Await.result(app.sql().preparedQuery("SELECT identifiers_purged_at FROM identity.erasure_requests WHERE user_id = $1")
        .execute(Tuple.of(id))).iterator().next().getOffsetDateTime(0));
  }

  private static JsonObject erase() {
    return Await.result(Bus.call(app.vertx(), "wolo.identity.erase-due", new JsonObject()));
  }

  private static long count(String sql, Object... params) {
    return Await.result(app.sql().preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
  }

  /** Every text, character and JSON column of every table in the product's schemas, searched for each value. */
  private static List<String> scan(List<String> values) {
    var columns = Await.result(app.sql().query("""
        SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema IN ('identity', 'profiles', 'referrals', 'pots', 'donations', 'packs', 'redemption', 'notifications',
                                 'analytics', 'admin', 'platform')
          AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'inet', 'ARRAY')""").execute());
    List<String> found = new ArrayList<>();
    int scanned = 0;
    for (Row c : columns) {
      String sql = "SELECT count(*) FROM %s.%s WHERE %s::text ILIKE '%%' || $1 || '%%'"
          .formatted(c.getString(0), c.getString(1), "\"" + c.getString(2) + "\"");
      for (String v : values) {
        long n = count(sql, v);
        if (n > 0) found.add(c.getString(0) + "." + c.getString(1) + "." + c.getString(2) + " holds '" + v + "' (" + n + ")");
      }
      scanned++;
    }
    assertTrue(scanned > 150, "columns scanned: " + scanned);
    return found;
  }
}
