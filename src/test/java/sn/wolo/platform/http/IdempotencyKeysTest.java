package sn.wolo.platform.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Idempotency-Key over real HTTP and PostgreSQL: replays, a reused key, concurrent retries, messages sent once. */
class IdempotencyKeysTest {

  private static final AtomicInteger PHONES = new AtomicInteger();
  private static TestApp app;
  private static String owner;
  private static String pot;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("donation.risk.refuse-threshold", "1000"), java.time.Clock.systemUTC());
    owner = app.accounts().otpLogin(phone()).getString("access_token");
    String dob = LocalDate.now(ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString();
    app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Awa Diop").put("date_of_birth", dob), owner);
    var created = post("/v1/pots", new JsonObject().put("title", "Mes 36 ans").put("target_amount_cfa", 50_000).put("visibility", "public"),
        owner, "pot-" + UUID.randomUUID());
    assertEquals(201, created.statusCode(), created.bodyAsString());
    pot = created.bodyAsJsonObject().getString("id");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void theSameKeyAndBodyReplaysTheFirstResponseWithoutASecondDonation() {
    String key = "don-" + UUID.randomUUID();
    JsonObject body = new JsonObject().put("amount_cfa", 2500).put("donor_name", "Moussa");
    int sessionsBefore = app.wave().sessionsCreated();
    var first = post("/v1/pots/" + pot + "/donations", body, null, key);
    assertEquals(201, first.statusCode(), first.bodyAsString());
    var second = post("/v1/pots/" + pot + "/donations", body, null, key);
    assertEquals(201, second.statusCode());
    assertEquals(first.bodyAsString(), second.bodyAsString(), "the same body, byte for byte");
    assertEquals("true", second.getHeader("Idempotent-Replayed"));
    assertEquals(1, donationsWithName("Moussa"));
    assertEquals(sessionsBefore + 1, app.wave().sessionsCreated(), "one Wave session");

    var reused = post("/v1/pots/" + pot + "/donations", body.copy().put("amount_cfa", 3000), null, key);
    assertEquals(422, reused.statusCode());
    assertEquals("idempotency_key_reused", reused.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  void twentyConcurrentRetriesWithOneKeyMakeOneDonation() {
    String key = "burst-" + UUID.randomUUID();
    Buffer body = new JsonObject().put("amount_cfa", 1500).put("donor_name", "Fatou").toBuffer();
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(app.client().post("/v1/pots/" + pot + "/donations").putHeader("Content-Type", "application/json")
          .putHeader("Idempotency-Key", key).sendBuffer(body));
    }
    Await.result(Future.join(calls));
    Set<String> ids = new HashSet<>();
    for (var c : calls) {
      HttpResponse<Buffer> r = c.result();
      assertTrue(r.statusCode() == 201 || r.statusCode() == 409, r.statusCode() + " " + r.bodyAsString());
      if (r.statusCode() == 201) ids.add(r.bodyAsJsonObject().getString("id"));
      else assertEquals("idempotency_request_in_progress", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
    assertEquals(1, ids.size(), "every success names the same donation");
    assertEquals(1, donationsWithName("Fatou"));
  }

  @Test
  void aRetriedInvitationSendsOneMessage() {
    String key = "inv-" + UUID.randomUUID();
    JsonObject invite = new JsonObject().put("method", "sms").put("recipient", "77 600 11 22").put("message", "Viens !");
    var first = post("/v1/pots/" + pot + "/invitations", invite, owner, key);
    assertEquals(201, first.statusCode(), first.bodyAsString());
    var again = post("/v1/pots/" + pot + "/invitations", invite, owner, key);
    assertEquals(201, again.statusCode());
    assertEquals(first.bodyAsString(), again.bodyAsString());
    long invitations = Await.result(app.sql().preparedQuery("SELECT count(*) FROM pots.pot_invitations WHERE pot_id = $1")
        .execute(Tuple.of(UUID.fromString(pot)))).iterator().next().getLong(0);
    assertEquals(1, invitations);
    long messages = Await.result(app.sql().preparedQuery("SELECT count(*) FROM notifications.notifications WHERE recipient_identifier = '+221776001122'")
        .execute()).iterator().next().getLong(0);
    assertEquals(1, messages, "one SMS");
  }

  @Test
  void aKeyIsScopedToItsCallerAndBoundedInLength() {
    assertEquals(400, post("/v1/pots/" + pot + "/donations", new JsonObject().put("amount_cfa", 1000), null, "k".repeat(256)).statusCode());
    assertEquals(400, post("/v1/pots/" + pot + "/donations", new JsonObject().put("amount_cfa", 1000), null, "a b").statusCode());
    // Another user's pot creation with the same key is another request: it runs (and is refused on its own merits).
    String key = "shared-" + UUID.randomUUID();
    String other = app.accounts().otpLogin(phone()).getString("access_token");
    var mine = post("/v1/pots", new JsonObject().put("title", "x").put("target_amount_cfa", 5000), owner, key);
    var theirs = post("/v1/pots", new JsonObject().put("title", "x").put("target_amount_cfa", 5000), other, key);
    assertEquals(409, mine.statusCode(), "one live pot per owner: " + mine.bodyAsString());
    assertTrue(theirs.getHeader("Idempotent-Replayed") == null, "not replayed across users");
    org.junit.jupiter.api.Assertions.assertNotEquals(mine.bodyAsString(), theirs.bodyAsString());
  }

  private static long donationsWithName(String name) {
    return Await.result(app.sql().preparedQuery("SELECT count(*) FROM donations.donations WHERE pot_id = $1 AND donor_name = $2")
        .execute(Tuple.of(UUID.fromString(pot), name))).iterator().next().getLong(0);
  }

  private static HttpResponse<Buffer> post(String path, JsonObject body, String token, String key) {
    var req = app.client().post(path).putHeader("Content-Type", "application/json").putHeader("Idempotency-Key", key);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    return Await.result(req.sendJsonObject(body));
  }

  private static String phone() {
    return String.format("+22176%07d", PHONES.incrementAndGet());
  }
}
