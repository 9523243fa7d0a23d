package sn.wolo.pot;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.bus.Bus;
import sn.wolo.testing.Accounts;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sn.wolo.testing.Http.errorCode;

/** Public pages, masking, invitations, owner rules, counters and snapshots. */
class PotPublicTest {

  private static final AtomicInteger PHONES = new AtomicInteger(5000);
  private static MutableClock clock;
  private static TestApp app;
  private static Http http;
  private static Accounts accounts;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.parse("2027-01-10T12:00:00Z"));
    app = TestApp.start(Map.of("pot.invitations-per-day", "3", "pot.sweep-ms", "3600000"), clock);
    http = app.http();
    accounts = app.accounts();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String phone() {
    return String.format("+22178%07d", PHONES.incrementAndGet());
  }

  /** An adult owner whose birthday is in 10 days, so the pot is open at once. */
  private static String owner(String name) {
    JsonObject login = accounts.otpLogin(phone());
    http.put("/v1/me/profile", new JsonObject().put("full_name", name).put("date_of_birth", "1991-01-20"), login.getString("access_token"));
    return login.getString("access_token");
  }

  private static String pot(String token, String visibility, boolean names, boolean messages) {
    var r = http.post("/v1/pots", new JsonObject().put("title", "Anniversaire").put("target_amount_cfa", 100_000)
        .put("visibility", visibility).put("show_donor_names", names).put("enable_messages", messages), token);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("id");
  }

  private static void donation(String potId, String name, int amount, boolean anonymous, boolean showAmount, String message) {
    Await.result(app.sql().preparedQuery("""
        INSERT INTO donations.donations (pot_id, donor_name, amount_cfa, status, is_anonymous, show_amount, donation_message, confirmed_at)
        VALUES ($1, $2, $3, 'succeeded', $4, $5, $6, $7)""").execute(Tuple.from(new Object[] {UUID.fromString(potId), name, amount,
        anonymous, showAmount, message, OffsetDateTime.parse("2027-01-10T12:00:00Z")})));
  }

  @Test
  void publicPotsAreVisibleToAllWithDonorPrivacyApplied() {
    String id = pot(owner("Mame Diarra Bousso"), "public", true, true);
    donation(id, "Ibou", 5000, false, true, "Joyeux anniversaire !");
    donation(id, "Secret Person", 7000, true, true, "De la part d'un ami");
    donation(id, "Modou", 3000, false, false, null);

    var r = http.get("/v1/public/pots/" + id, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject page = r.bodyAsJsonObject();
    assertEquals("Mame B.", page.getString("owner_display_name"));
    assertEquals(15_000, page.getJsonObject("progress").getLong("raised_cfa"));
    assertEquals(15, page.getJsonObject("progress").getInteger("percent"));
    JsonArray donors = page.getJsonArray("donors");
    assertEquals(3, donors.size());
    assertFalse(r.bodyAsString().contains("Secret Person"), "anonymous donors are masked");
    assertTrue(donors.stream().anyMatch(d -> "Anonyme".equals(((JsonObject) d).getString("name"))));
    JsonObject modou = donors.stream().map(d -> (JsonObject) d).filter(d -> "Modou".equals(d.getString("name"))).findFirst().orElseThrow();
    assertNull(modou.getValue("amount_cfa"), "hidden amount");
    assertTrue(r.bodyAsString().contains("Joyeux anniversaire"));

    var first = http.get("/v1/public/pots/" + id + "?limit=2", null).bodyAsJsonObject();
    assertEquals(2, first.getJsonArray("donors").size());
    String decoded = new String(java.util.Base64.getUrlDecoder().decode(first.getString("next_cursor")), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(!decoded.matches(".*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-.*"), "no donation id in a public cursor: " + decoded);
    var paged = http.get("/v1/public/pots/" + id + "?limit=2&cursor=" + first.getString("next_cursor"), null).bodyAsJsonObject();
    assertEquals(1, paged.getJsonArray("donors").size());
    assertNull(paged.getValue("next_cursor"), "the last page");
  }

  /** Issue 16: the public donor list pages by keyset: while donations keep arriving, no donor is listed twice or skipped. */
  @Test
  void thePublicDonorListPagesWithoutDuplicatesOrGapsWhileDonationsArrive() {
    String id = pot(owner("Fatou Sarr"), "public", true, false);
    java.util.Set<String> before = new java.util.HashSet<>();
    for (int i = 0; i < 25; i++) {
      donation(id, "Donor " + i, 1_000, false, true, null);   // one confirmation instant for all: the tie-break orders them
      before.add("Donor " + i);
    }
    java.util.List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    int arrivals = 0;
    do {
      var page = http.get("/v1/public/pots/" + id + "?limit=7" + (cursor == null ? "" : "&cursor=" + cursor), null).bodyAsJsonObject();
      page.getJsonArray("donors").forEach(d -> seen.add(((JsonObject) d).getString("name")));
      cursor = page.getString("next_cursor");
      Await.result(app.sql().preparedQuery("""
          INSERT INTO donations.donations (pot_id, donor_name, amount_cfa, status, is_anonymous, show_amount, confirmed_at)
          VALUES ($1, $2, 1000, 'succeeded', false, true, now())""").execute(Tuple.of(UUID.fromString(id), "Late " + arrivals++)));
    } while (cursor != null);
    java.util.List<String> older = seen.stream().filter(n -> n.startsWith("Donor ")).toList();
    assertEquals(25, older.size(), "no duplicate and no gap: " + seen);
    assertEquals(before, new java.util.HashSet<>(older));
    assertEquals(400, http.get("/v1/public/pots/" + id + "?cursor=not-a-cursor", null).statusCode());
  }

  @Test
  void potLevelSettingsHideAllNamesAndMessages() {
    String id = pot(owner("Astou Ndiaye"), "public", false, false);
    donation(id, "Visible Name", 2000, false, true, "Un message");
    String body = http.get("/v1/public/pots/" + id, null).bodyAsString();
    assertFalse(body.contains("Visible Name"));
    assertFalse(body.contains("Un message"));
  }

  @Test
  void privatePotsNeedTheShareTokenOfAnInvitation() {
    String token = owner("Lamine Faye");
    String id = pot(token, "private", true, true);
    assertEquals(404, http.get("/v1/public/pots/" + id, null).statusCode());
    assertEquals(404, http.get("/v1/public/pots/" + id + "?t=guess", null).statusCode());

    var inv = http.post("/v1/pots/" + id + "/invitations", new JsonObject().put("method", "sms")
        .put("recipient", "77 555 44 33").put("message", "Viens participer !"), token);
    assertEquals(201, inv.statusCode(), inv.bodyAsString());
    String link = inv.bodyAsJsonObject().getString("link");
    String share = link.substring(link.indexOf("?t=") + 3);
    assertTrue(accounts.latestMessage("+221775554433").contains(link), "the invitee got the link by SMS");

    var opened = http.get("/v1/public/invitations/" + share, null);
    assertEquals(200, opened.statusCode());
    assertEquals(id, opened.bodyAsJsonObject().getString("pot_id"));
    Row inv2 = Await.result(app.sql().preparedQuery("SELECT opened_at FROM pots.pot_invitations WHERE pot_id = $1")
        .execute(Tuple.of(UUID.fromString(id)))).iterator().next();
    assertNotNull(inv2.getOffsetDateTime("opened_at"));
    assertEquals(200, http.get("/v1/public/pots/" + id + "?t=" + share, null).statusCode());
  }

  @Test
  void invitationsAreLimitedPerPotPerDay() {
    String token = owner("Ndeye Sarr");
    String id = pot(token, "public", true, true);
    JsonObject inv = new JsonObject().put("method", "social").put("recipient", "@amis");
    for (int i = 0; i < 3; i++) assertEquals(201, http.post("/v1/pots/" + id + "/invitations", inv, token).statusCode());
    var fourth = http.post("/v1/pots/" + id + "/invitations", inv, token);
    assertEquals(429, fourth.statusCode());
    assertEquals("invitation_limit", errorCode(fourth));
    clock.advance(java.time.Duration.ofDays(1));
    assertEquals(201, http.post("/v1/pots/" + id + "/invitations", inv, token).statusCode(), "a new Dakar day");
    clock.set(Instant.parse("2027-01-10T12:00:00Z"));
  }

  @Test
  void ownersOnlyAndRulesPerState() {
    String token = owner("Coumba Gaye");
    String other = owner("Saliou Mbengue");
    String id = pot(token, "public", true, true);
    assertEquals(404, http.get("/v1/pots/" + id, other).statusCode(), "another user's pot is not found");
    assertEquals(404, http.send(io.vertx.core.http.HttpMethod.PATCH, "/v1/pots/" + id, new JsonObject().put("title", "x"), other).statusCode());
    var locked = http.send(io.vertx.core.http.HttpMethod.PATCH, "/v1/pots/" + id, new JsonObject().put("target_amount_cfa", 5000), token);
    assertEquals(409, locked.statusCode(), "the target is fixed once the pot is open");
    var renamed = http.send(io.vertx.core.http.HttpMethod.PATCH, "/v1/pots/" + id, new JsonObject().put("title", "Nouveau titre"), token);
    assertEquals("Nouveau titre", renamed.bodyAsJsonObject().getString("title"));
    var badAmount = http.post("/v1/pots", new JsonObject().put("title", "x").put("target_amount_cfa", 1500.5), other);
    assertEquals("invalid_target_amount_cfa", errorCode(badAmount), "whole francs only");

    var unknownPack = http.put("/v1/pots/" + id + "/preferred-pack", new JsonObject().put("pack_id", UUID.randomUUID().toString()), token);
    assertEquals(404, unknownPack.statusCode());
    assertEquals("pack_not_found", errorCode(unknownPack));
    UUID pack = UUID.randomUUID();
    // A pack is on sale only when its partner is active (issue 13).
    Await.result(app.sql().preparedQuery("""
            WITH partner AS (INSERT INTO packs.partners (name, type, revenue_split_percentage, status, verified_at)
                             VALUES ('Ciné', 'cinema', 70, 'active', now()) RETURNING id)
            INSERT INTO packs.packs (id, name, description, category, base_price_cfa, partner_id)
            SELECT $1, 'Ciné', 'Deux places', 'cinema', 8000, id FROM partner""").execute(Tuple.of(pack)));
    var chosen = http.put("/v1/pots/" + id + "/preferred-pack", new JsonObject().put("pack_id", pack.toString()), token);
    assertEquals(200, chosen.statusCode(), chosen.bodyAsString());
    assertEquals(pack.toString(), chosen.bodyAsJsonObject().getString("preferred_pack_id"));

    var closed = http.post("/v1/pots/" + id + "/close", new JsonObject(), token);
    assertEquals("closed", closed.bodyAsJsonObject().getString("status"));
    assertEquals(409, http.post("/v1/pots/" + id + "/close", new JsonObject(), token).statusCode());
    JsonObject accepting = Await.result(Bus.call(app.vertx(), PotVerticle.address("accepting-donations"), new JsonObject().put("pot_id", id)));
    assertFalse(accepting.getBoolean("accepting"));
  }

  @Test
  void minorsWithoutAGuardianAndUsersWithoutAProfileCannotCreatePots() {
    JsonObject noProfile = accounts.otpLogin(phone());
    var r = http.post("/v1/pots", new JsonObject().put("title", "x").put("target_amount_cfa", 5000), noProfile.getString("access_token"));
    assertEquals(409, r.statusCode());
    assertEquals("profile_required", errorCode(r));

    String guardianPhone = phone();
    accounts.otpLogin(guardianPhone);
    JsonObject minor = accounts.otpLogin(phone());
    http.put("/v1/me/profile", new JsonObject().put("full_name", "Petit Ba").put("guardian_phone", guardianPhone)
        .put("date_of_birth", LocalDate.of(2015, 6, 1).toString()), minor.getString("access_token"));
    var refused = http.post("/v1/pots", new JsonObject().put("title", "x").put("target_amount_cfa", 5000), minor.getString("access_token"));
    assertEquals(403, refused.statusCode());
    assertEquals("guardian_required", errorCode(refused));
  }

  @Test
  void atJMinus7InviteesWhoHaveNotGivenAreRemindedOnce() {
    String token = owner("Reminder Owner");
    String id = pot(token, "public", true, true);
    for (String phone : new String[] {"77 111 00 01", "77 111 00 02"}) {
      assertEquals(201, http.post("/v1/pots/" + id + "/invitations", new JsonObject().put("method", "sms").put("recipient", phone), token)
          .statusCode());
    }
    Await.result(app.sql().preparedQuery("""
        INSERT INTO donations.donations (pot_id, donor_phone, amount_cfa, status, confirmed_at) VALUES ($1, '+221771110002', 2000, 'succeeded', now())""")
        .execute(Tuple.of(UUID.fromString(id))));
    clock.set(Instant.parse("2027-01-13T12:00:00Z"));   // the owner's birthday (20 January) is in 7 days
    try {
      JsonObject first = Await.result(Bus.call(app.vertx(), PotVerticle.address("reminders"), new JsonObject()));
      assertTrue(first.getInteger("queued") >= 1);
      assertTrue(accounts.latestMessage("+221771110001").contains("Plus que 7 jours"));
      assertFalse(accounts.latestMessage("+221771110002").contains("Plus que 7 jours"), "the one who gave is not reminded");
      JsonObject again = Await.result(Bus.call(app.vertx(), PotVerticle.address("reminders"), new JsonObject()));
      assertEquals(0, again.getInteger("queued"), "each reminder once");
    } finally {
      clock.set(Instant.parse("2027-01-10T12:00:00Z"));
    }
  }

  @Test
  void dailySnapshotsAreIdempotentPerPotAndDate() {
    String id = pot(owner("Yacine Diop"), "public", true, true);
    http.get("/v1/public/pots/" + id, null);
    JsonObject first = Await.result(Bus.call(app.vertx(), PotVerticle.address("snapshot"), new JsonObject().put("date", "2027-01-10")));
    JsonObject second = Await.result(Bus.call(app.vertx(), PotVerticle.address("snapshot"), new JsonObject().put("date", "2027-01-10")));
    assertTrue(first.getInteger("snapshots") >= 1);
    assertEquals(first.getInteger("snapshots"), second.getInteger("snapshots"));
    long rows = Await.result(app.sql().preparedQuery("SELECT count(*) FROM pots.pot_analytics WHERE pot_id = $1 AND snapshot_date = '2027-01-10'")
        .execute(Tuple.of(UUID.fromString(id)))).iterator().next().getLong(0);
    assertEquals(1, rows);
  }
}
