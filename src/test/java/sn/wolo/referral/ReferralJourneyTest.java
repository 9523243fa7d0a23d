package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import sn.wolo.platform.bus.Bus;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: sponsors invite friends under a daily limit, earn points as the friends join, open a pot
 * and receive a first donation, and turn matured points into credit on their own pot — over real
 * HTTP, PostgreSQL and the Wave simulator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferralJourneyTest {

  private static final AtomicInteger PHONES = new AtomicInteger(1000);
  private static MutableClock clock;
  private static TestApp app;
  private static Http http;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.parse("2027-01-10T12:00:00Z"));
    app = TestApp.start(Map.of("otp.max-per-ip-per-hour", "1000", "auth.rate-limit-per-minute", "1000", "otp.resend-cooldown-seconds", "0",
        "referral.sweep-ms", "3600000", "pot.sweep-ms", "3600000", "donation.reconcile-ms", "3600000"), clock);
    http = app.http();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static String phone() {
    return String.format("+22178%07d", PHONES.incrementAndGet());
  }

  /** Signs up by phone with an optional referral code, as the app does. */
  static JsonObject signUp(String phone, String referralCode) {
    assertEquals(202, http.post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null).statusCode());
    JsonObject body = new JsonObject().put("phone", phone).put("code", otpCode(phone));
    if (referralCode != null) body.put("referral_code", referralCode);
    var verified = http.post("/v1/auth/otp/verify", body, null);
    assertEquals(200, verified.statusCode(), verified.bodyAsString());
    return verified.bodyAsJsonObject();
  }

  /** The newest login code sent to {@code phone} (an invitation SMS may arrive after it). */
  static String otpCode(String phone) {
    var messages = http.get("/v1/dev/messages?recipient=" + phone.replace("+", "%2B"), null).bodyAsJsonObject().getJsonArray("messages");
    for (int i = 0; i < messages.size(); i++) {
      var m = java.util.regex.Pattern.compile("\\b(\\d{6})\\b").matcher(messages.getJsonObject(i).getString("body"));
      if (m.find()) return m.group(1);
    }
    throw new AssertionError("no login code sent to " + phone);
  }

  static String profile(String token, String dob) {
    var r = http.put("/v1/me/profile", new JsonObject().put("full_name", "Fatou Sow").put("date_of_birth", dob), token);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return token;
  }

  static JsonArray contacts(String... phones) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < phones.length; i++) out.add(new JsonObject().put("name", "Ami " + i).put("phone", phones[i]));
    return out;
  }

  static long count(String sql, Object... params) {
    return Await.result(app.sql().preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
  }

  static JsonObject points(String token) {
    return http.get("/v1/me/points", token).bodyAsJsonObject();
  }

  static void sweep() {
    Await.result(Bus.call(app.vertx(), ReferralVerticle.address("sweep"), new JsonObject()));
  }

  @Test
  @Order(1)
  void aSponsorEarnsMaturedPointsAndTurnsThemIntoPotCredit() {
    clock.set(Instant.parse("2027-01-10T12:00:00Z"));
    JsonObject sponsor = signUp(phone(), null);
    String sponsorToken = profile(sponsor.getString("access_token"), "1990-02-01");   // birthday in 22 days: a live pot
    JsonObject code = http.get("/v1/me/referral-code", sponsorToken).bodyAsJsonObject();
    assertTrue(code.getString("code").matches("[A-HJ-NP-Z2-9]{8}"), code.encode());
    assertEquals(code, http.get("/v1/me/referral-code", sponsorToken).bodyAsJsonObject(), "one code per user");

    // Contacts in a batch (a landline is dropped), three invited by SMS carrying the code.
    String friend = phone();
    String[] others = {phone(), phone()};
    JsonArray uploaded = contacts(friend, others[0], others[1]).add(new JsonObject().put("name", "Bureau").put("phone", "+221338391234"));
    var batch = http.post("/v1/referrals/batches", new JsonObject().put("contacts", uploaded), sponsorToken);
    assertEquals(201, batch.statusCode(), batch.bodyAsString());
    assertEquals(1, batch.bodyAsJsonObject().getInteger("rejected"));
    assertEquals(3, batch.bodyAsJsonObject().getJsonArray("contacts").getJsonObject(2).getInteger("position"));
    var sent = http.post("/v1/referrals", new JsonObject().put("batch_id", batch.bodyAsJsonObject().getString("id"))
        .put("contacts", contacts(friend, others[0], others[1])).put("channel", "sms"), sponsorToken);
    assertEquals(201, sent.statusCode(), sent.bodyAsString());
    assertEquals(3, sent.bodyAsJsonObject().getJsonArray("sent").size());
    assertEquals(47, sent.bodyAsJsonObject().getInteger("remaining_today"));
    Eventually.until("invitation SMS with the code", () -> {
      var m = http.get("/v1/dev/messages?recipient=" + friend.replace("+", "%2B"), null).bodyAsJsonObject().getJsonArray("messages");
      return !m.isEmpty() && m.getJsonObject(0).getString("body").contains(code.getString("code"));
    });
    var again = http.post("/v1/referrals", new JsonObject().put("contacts", contacts(friend)).put("channel", "sms"), sponsorToken);
    assertEquals(1, again.bodyAsJsonObject().getInteger("skipped"), "a friend is invited once");

    // The friend signs up (the pending invitation to their phone matches), opens a pot, receives two donations.
    JsonObject invitee = signUp(friend, code.getString("code"));
    Eventually.until("accepted", () -> count("SELECT count(*) FROM referrals.referrals WHERE sponsored_user_id = $1 AND status = 'accepted'",
        UUID.fromString(invitee.getString("user_id"))) == 1);
    String inviteeToken = profile(invitee.getString("access_token"), "1995-01-20");
    var pot = http.post("/v1/pots", new JsonObject().put("title", "Mes 32 ans").put("target_amount_cfa", 30_000).put("visibility", "public"), inviteeToken);
    assertEquals(201, pot.statusCode(), pot.bodyAsString());
    for (int amount : new int[] {5_000, 7_000}) {
      var d = http.post("/v1/pots/" + pot.bodyAsJsonObject().getString("id") + "/donations", new JsonObject().put("amount_cfa", amount), null);
      Await.result(app.wave().complete(d.bodyAsJsonObject().getString("checkout_session_id")));
    }
    Eventually.until("three lines pending", () -> points(sponsorToken).getLong("pending") == 50 + 100 + 150);
    Eventually.until("both donations credited", () -> count("SELECT count(*) FROM platform.outbox WHERE event_type = 'pot.credited' AND aggregate_id = $1",
        pot.bodyAsJsonObject().getString("id")) == 2);
    assertEquals(300, points(sponsorToken).getLong("pending"), "one first_donation, not two");
    // The history pages by keyset: one line a page, each line once, as many as in one big page.
    java.util.Set<String> historyIds = new java.util.HashSet<>();
    String historyCursor = null;
    do {
      JsonObject page = http.get("/v1/me/points?limit=1" + (historyCursor == null ? "" : "&cursor=" + historyCursor), sponsorToken).bodyAsJsonObject();
      page.getJsonArray("history").forEach(h -> assertTrue(historyIds.add(((JsonObject) h).getString("id")), "listed twice: " + h));
      historyCursor = page.getString("next_cursor");
    } while (historyCursor != null);
    assertEquals(http.get("/v1/me/points?limit=100", sponsorToken).bodyAsJsonObject().getJsonArray("history").size(), historyIds.size());
    assertTrue(historyIds.size() >= 3, "three historyIds at least: " + historyIds);
    assertEquals(0, points(sponsorToken).getLong("balance"), "nothing spendable before the refund window passed");
    Eventually.until("sponsor told", () -> count("SELECT count(*) FROM notifications.notifications n JOIN notifications.notification_templates t "
        + "ON t.id = n.template_id WHERE t.template_key = 'referral_accepted' AND n.user_id = $1", UUID.fromString(sponsor.getString("user_id"))) == 1);

    // Replaying every event the referral consumers saw changes nothing.
    long lines = count("SELECT count(*) FROM referrals.points_ledger");
    Await.result(app.sql().query("""
        INSERT INTO platform.event_deliveries (consumer, event_id, outbox_id)
        SELECT c.consumer, o.event_id, o.id FROM platform.outbox o
        CROSS JOIN (VALUES ('referral.signups', 'identity.user_signed_up'), ('referral.points', 'pot.opened'),
                           ('referral.points', 'pot.credited')) AS c(consumer, type)
        WHERE o.event_type = c.type ON CONFLICT DO NOTHING""").execute());
    Eventually.until("replays drained", () -> count("SELECT count(*) FROM platform.undelivered_events WHERE consumer LIKE 'referral.%'") == 0);
    assertEquals(lines, count("SELECT count(*) FROM referrals.points_ledger"));
    assertEquals(1, count("SELECT count(*) FROM referrals.referrals WHERE sponsored_user_id = $1", UUID.fromString(invitee.getString("user_id"))));

    // After 14 days the points mature; 200 become 2,000 francs on the sponsor's own pot, once even when retried.
    clock.advance(Duration.ofDays(15));
    sweep();
    assertEquals(300, points(sponsorToken).getLong("balance"));
    var myPot = http.post("/v1/pots", new JsonObject().put("title", "Moi aussi").put("target_amount_cfa", 10_000).put("visibility", "public"), sponsorToken);
    assertEquals(201, myPot.statusCode(), myPot.bodyAsString());
    String myPotId = myPot.bodyAsJsonObject().getString("id");
    JsonObject conversion = new JsonObject().put("points", 200).put("pot_id", myPotId);
    HttpResponse<Buffer> first = Await.result(app.client().post("/v1/me/points/conversions").putHeader("Authorization", "Bearer " + sponsorToken)
        .putHeader("Idempotency-Key", "conv-1").sendJsonObject(conversion));
    HttpResponse<Buffer> retried = Await.result(app.client().post("/v1/me/points/conversions").putHeader("Authorization", "Bearer " + sponsorToken)
        .putHeader("Idempotency-Key", "conv-1").sendJsonObject(conversion));
    assertEquals(201, first.statusCode(), first.bodyAsString());
    assertEquals(first.bodyAsString(), retried.bodyAsString());
    assertEquals(2_000, first.bodyAsJsonObject().getLong("credit_cfa"));
    assertEquals(100, points(sponsorToken).getLong("balance"));
    assertEquals("insufficient_points", Http.errorCode(http.post("/v1/me/points/conversions", conversion, sponsorToken)));
    Eventually.until("pot credited", () -> http.get("/v1/pots/" + myPotId, sponsorToken).bodyAsJsonObject().getLong("raised_cfa") == 2_000);
    JsonObject page = http.get("/v1/public/pots/" + myPotId, null).bodyAsJsonObject().getJsonObject("progress");
    assertEquals(2_000, page.getLong("raised_cfa"));
    assertEquals(2_000, page.getLong("referral_credit_cfa"), "shown as credit, not as a donation");
    assertEquals(0, count("SELECT count(*) FROM donations.donations WHERE pot_id = $1", UUID.fromString(myPotId)));
    // The GDPR export holds all of it (issue 15): the code, the invitations with their contacts, the ledger, the conversion, the pot.
    var given = http.post("/v1/pots/" + pot.bodyAsJsonObject().getString("id") + "/donations",
        new JsonObject().put("amount_cfa", 1_000).put("message", "De la part de ton parrain"), sponsorToken);
    assertEquals(201, given.statusCode(), given.bodyAsString());
    JsonObject export = http.get("/v1/me/export", sponsorToken).bodyAsJsonObject().getJsonObject("data");
    assertEquals(code.getString("code"), export.getJsonObject("referral").getString("referral_code"), export.encode());
    assertEquals(3, export.getJsonObject("referral").getJsonArray("invitations_sent").size(), "the repeated invitation was skipped");
    assertEquals(4, export.getJsonObject("referral").getJsonArray("points_ledger").size(), "three earned, one spent");
    assertEquals(1, export.getJsonObject("referral").getJsonArray("conversions").size());
    assertEquals(myPotId, export.getJsonObject("pot").getJsonArray("pots").getJsonObject(0).getString("id"));
    assertEquals("De la part de ton parrain", export.getJsonObject("donation").getJsonArray("donations_made").getJsonObject(0).getString("message"));
    // Every point accounted for: 300 earned = 200 converted + 100 left.
    assertEquals(300, count("SELECT sum(points_earned) FROM referrals.points_ledger WHERE sponsor_user_id = $1", UUID.fromString(sponsor.getString("user_id"))));
    assertEquals(200, count("SELECT sum(points_spent) FROM referrals.points_ledger WHERE sponsor_user_id = $1", UUID.fromString(sponsor.getString("user_id"))));

    // The 100 points left, converted by 4 requests at once (different keys): one wins, nobody overspends.
    List<Future<HttpResponse<Buffer>>> racing = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      racing.add(app.client().post("/v1/me/points/conversions").putHeader("Authorization", "Bearer " + sponsorToken)
          .putHeader("Idempotency-Key", "race-" + i).sendJsonObject(new JsonObject().put("points", 100).put("pot_id", myPotId)));
    }
    Await.result(Future.join(racing), 60);
    assertEquals(1, racing.stream().filter(r -> r.result().statusCode() == 201).count());
    assertEquals(3, racing.stream().filter(r -> "insufficient_points".equals(Http.errorCode(r.result()))).count());
    assertEquals(0, points(sponsorToken).getLong("balance"), "never negative");
    assertEquals(300, count("SELECT sum(points_spent) FROM referrals.points_ledger WHERE sponsor_user_id = $1", UUID.fromString(sponsor.getString("user_id"))));
  }

  /** 10 sends of 10 contacts at once by one sponsor: exactly 50 invitations, the rest 429 until Dakar midnight. */
  @Test
  @Order(2)
  void theDailyLimitHoldsUnderConcurrency() {
    clock.set(Instant.parse("2027-03-10T12:00:00Z"));
    String token = signUp(phone(), null).getString("access_token");
    List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String[] batch = new String[10];
      for (int j = 0; j < 10; j++) batch[j] = phone();
      sends.add(app.client().post("/v1/referrals").putHeader("Authorization", "Bearer " + token)
          .sendJsonObject(new JsonObject().put("contacts", contacts(batch)).put("channel", "whatsapp")));
    }
    Await.result(Future.join(sends), 60);
    assertEquals(5, sends.stream().filter(s -> s.result().statusCode() == 201).count());
    List<HttpResponse<Buffer>> refused = sends.stream().map(Future::result).filter(r -> r.statusCode() == 429).toList();
    assertEquals(5, refused.size());
    refused.forEach(r -> {
      assertEquals("daily_invitation_limit", Http.errorCode(r));
      assertEquals("43200", r.getHeader("Retry-After"), "seconds to Dakar midnight");
    });
    JsonObject today = http.get("/v1/referrals/limits/today", token).bodyAsJsonObject();
    assertEquals(50, today.getInteger("sent_today"));
    assertEquals(0, today.getInteger("remaining"));
    assertEquals(50, http.get("/v1/referrals?limit=100", token).bodyAsJsonObject().getJsonArray("items").size());
  }

  /** The limit resets at 00:00 in Dakar (UTC+0, no daylight saving): 23:59:59 is still yesterday. */
  @Test
  @Order(3)
  void theLimitResetsAtDakarMidnight() {
    clock.set(Instant.parse("2027-04-01T23:59:59Z"));
    String token = signUp(phone(), null).getString("access_token");
    String[] fifty = new String[50];
    for (int i = 0; i < 50; i++) fifty[i] = phone();
    assertEquals(201, http.post("/v1/referrals", new JsonObject().put("contacts", contacts(fifty)).put("channel", "sms"), token).statusCode());
    var late = http.post("/v1/referrals", new JsonObject().put("contacts", contacts(phone())).put("channel", "sms"), token);
    assertEquals(429, late.statusCode());
    assertEquals("1", late.getHeader("Retry-After"));
    clock.set(Instant.parse("2027-04-02T00:00:00Z"));
    assertEquals(201, http.post("/v1/referrals", new JsonObject().put("contacts", contacts(phone())).put("channel", "sms"), token).statusCode());
    JsonObject today = http.get("/v1/referrals/limits/today", token).bodyAsJsonObject();
    assertEquals(1, today.getInteger("sent_today"));
    assertEquals(51, today.getInteger("lifetime_invitations"), "carried over");
    assertEquals(2, today.getInteger("streak_days"));
    // Seven days later the unanswered invitations expire.
    clock.set(Instant.parse("2027-04-08T23:59:59.500Z"));   // the first 50 expired at 23:59:59, the last one expires at 00:00
    sweep();
    assertEquals(50, http.get("/v1/referrals?status=expired&limit=100", token).bodyAsJsonObject().getJsonArray("items").size());
    // Keyset pages of 20: every expired invitation listed once, none twice.
    java.util.Set<String> ids = new java.util.HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = http.get("/v1/referrals?status=expired&limit=20" + (cursor == null ? "" : "&cursor=" + cursor), token).bodyAsJsonObject();
      page.getJsonArray("items").forEach(i -> assertTrue(ids.add(((JsonObject) i).getString("id")), "listed twice: " + i));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertEquals(50, ids.size());
    assertEquals(3, pages);
  }

  /** Unknown codes are recorded, nobody earns twice, a refund revokes, a minor's points wait. */
  @Test
  @Order(4)
  void fraudRefundsAndMinorsAreHandled() {
    clock.set(Instant.parse("2027-05-10T12:00:00Z"));
    JsonObject sponsor = signUp(phone(), null);
    String sponsorToken = sponsor.getString("access_token");
    String code = http.get("/v1/me/referral-code", sponsorToken).bodyAsJsonObject().getString("code");

    JsonObject stranger = signUp(phone(), "ZZZZZZZZ");
    Eventually.until("unknown code recorded", () -> count("SELECT count(*) FROM referrals.referral_refusals WHERE invitee_user_id = $1 AND reason = 'unknown_code'",
        UUID.fromString(stranger.getString("user_id"))) == 1);
    assertEquals("invalid_referral_code", Http.errorCode(http.post("/v1/auth/otp/verify", new JsonObject().put("phone", phone()).put("code", "123456")
        .put("referral_code", "no!"), null)));

    // An existing account cannot be invited: skipped.
    String existing = phone();
    signUp(existing, null);
    var skipped = http.post("/v1/referrals", new JsonObject().put("contacts", contacts(existing)).put("channel", "sms"), sponsorToken);
    assertEquals(1, skipped.bodyAsJsonObject().getInteger("skipped"));

    // Through the shared code, without an invitation: accepted; a refunded first donation revokes its points.
    JsonObject friend = signUp(phone(), code);
    Eventually.until("accepted via code", () -> count("SELECT count(*) FROM referrals.referrals WHERE sponsored_user_id = $1 AND via_shared_code",
        UUID.fromString(friend.getString("user_id"))) == 1);
    String friendToken = profile(friend.getString("access_token"), "1990-05-20");
    String pot = http.post("/v1/pots", new JsonObject().put("title", "Fête").put("target_amount_cfa", 30_000).put("visibility", "public"), friendToken)
        .bodyAsJsonObject().getString("id");
    var d = http.post("/v1/pots/" + pot + "/donations", new JsonObject().put("amount_cfa", 4_000), null).bodyAsJsonObject();
    Await.result(app.wave().complete(d.getString("checkout_session_id")));
    Eventually.until("first_donation pending", () -> count("SELECT count(*) FROM referrals.points_ledger WHERE event_type = 'first_donation' "
        + "AND invitee_user_id = $1 AND status = 'pending'", UUID.fromString(friend.getString("user_id"))) == 1);
    Eventually.until("donation succeeded", () -> "succeeded".equals(http.get("/v1/donations/" + d.getString("id"), null).bodyAsJsonObject().getString("status")));
    String admin = app.accounts().admin(app.sql(), phone());
    var refund = http.post("/v1/admin/donations/" + d.getString("id") + "/refunds", new JsonObject().put("reason", "user_request"), admin);
    assertEquals(200, refund.statusCode() / 100 * 100, refund.bodyAsString());
    Eventually.until("revoked", () -> count("SELECT count(*) FROM referrals.points_ledger WHERE event_type = 'first_donation' "
        + "AND invitee_user_id = $1 AND status = 'revoked'", UUID.fromString(friend.getString("user_id"))) == 1);

    // A minor invitee without a guardian: the points stay pending after the refund window.
    JsonObject minor = signUp(phone(), code);
    Eventually.until("minor accepted", () -> count("SELECT count(*) FROM referrals.points_ledger WHERE invitee_user_id = $1",
        UUID.fromString(minor.getString("user_id"))) == 1);
    http.put("/v1/me/profile", new JsonObject().put("full_name", "Petit Ndiaye").put("date_of_birth", "2013-03-03"), minor.getString("access_token"));
    clock.advance(Duration.ofDays(15));
    sweep();
    assertEquals(1, count("SELECT count(*) FROM referrals.points_ledger WHERE invitee_user_id = $1 AND status = 'pending'",
        UUID.fromString(minor.getString("user_id"))), "held for the guardian");
    assertEquals(1, count("SELECT count(*) FROM referrals.points_ledger WHERE invitee_user_id = $1 AND event_type = 'referral_accepted' AND status = 'matured'",
        UUID.fromString(friend.getString("user_id"))), "the adult's line matured");
  }

  /** A running sponsor campaign boosts points ×1.5 and pays for the extra points until its budget is spent. */
  @Test
  @Order(5)
  void aCampaignBoostsPointsWithinItsBudget() {
    clock.set(Instant.parse("2027-06-10T12:00:00Z"));
    String admin = app.accounts().admin(app.sql(), phone());
    var campaign = http.post("/v1/admin/campaigns", new JsonObject().put("sponsor_company_name", "Orange").put("campaign_name", "Parrainage x1,5")
        .put("budget_cfa", 500).put("points_multiplier", 1.5).put("starts_at", "2027-06-01T00:00:00Z").put("ends_at", "2027-07-01T00:00:00Z"), admin);
    assertEquals(201, campaign.statusCode(), campaign.bodyAsString());
    String campaignId = campaign.bodyAsJsonObject().getString("id");
    assertEquals(200, http.post("/v1/admin/campaigns/" + campaignId + "/status", new JsonObject().put("status", "active"), admin).statusCode());
    JsonObject sponsor = signUp(phone(), null);
    String code = http.get("/v1/me/referral-code", sponsor.getString("access_token")).bodyAsJsonObject().getString("code");
    for (int i = 0; i < 3; i++) {
      JsonObject friend = signUp(phone(), code);
      Eventually.until("accepted", () -> count("SELECT count(*) FROM referrals.points_ledger WHERE invitee_user_id = $1",
          UUID.fromString(friend.getString("user_id"))) == 1);
    }
    // 50 × 1.5 = 75 points twice (25 extra points × 10 F = 250 F each: the 500 F budget), then 50.
    assertEquals(200, count("SELECT sum(points_earned) FROM referrals.points_ledger WHERE sponsor_user_id = $1", UUID.fromString(sponsor.getString("user_id"))));
    assertEquals(2, count("SELECT count(*) FROM referrals.points_ledger WHERE sponsor_user_id = $1 AND metadata ->> 'campaign_id' = $2",
        UUID.fromString(sponsor.getString("user_id")), campaignId));
    JsonObject after = http.get("/v1/admin/campaigns", admin).bodyAsJsonObject().getJsonArray("campaigns").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals(campaignId)).findFirst().orElseThrow();
    assertEquals(500, after.getInteger("spent_cfa"));
    assertEquals("completed", after.getString("status"), "the budget is spent");
  }

  /** Issue 15: erasing the invitee or the sponsor leaves no phone or name of theirs (or their contacts') in referrals. */
  @Test
  @Order(6)
  void erasureLeavesNoContactDetailsInReferrals() {
    clock.set(Instant.parse("2027-07-10T12:00:00Z"));
    JsonObject sponsor = signUp(phone(), null);
    String token = sponsor.getString("access_token");
    String friend = phone();
    String stranger = phone();
    assertEquals(201, http.post("/v1/referrals/batches", new JsonObject().put("contacts", contacts(friend, stranger)), token).statusCode());
    assertEquals(201, http.post("/v1/referrals", new JsonObject().put("contacts", contacts(friend, stranger)).put("channel", "sms"), token).statusCode());
    JsonObject invitee = signUp(friend, null);
    Eventually.until("accepted", () -> count("SELECT count(*) FROM referrals.referrals WHERE sponsored_user_id = $1",
        UUID.fromString(invitee.getString("user_id"))) == 1);

    app.eraseNow(invitee.getString("access_token"));
    Eventually.until("the invitee's details cleared", () -> count("SELECT count(*) FROM referrals.referrals WHERE invited_phone = $1", friend) == 0);
    assertEquals(1, count("SELECT count(*) FROM referrals.referrals WHERE sponsored_user_id = $1 AND status = 'accepted'",
        UUID.fromString(invitee.getString("user_id"))), "the referral itself stays (the points it earned are history)");

    app.eraseNow(token);
    Eventually.until("the sponsor's contacts gone", () -> count("SELECT count(*) FROM referrals.referrals WHERE invited_phone = $1", stranger) == 0);
    assertEquals(0, count("SELECT count(*) FROM referrals.sponsor_contact_batches WHERE contact_snapshot::text LIKE '%' || $1 || '%' "
        + "OR contact_snapshot::text LIKE '%' || $2 || '%'", friend.substring(1), stranger.substring(1)));
    assertEquals(0, count("SELECT count(*) FROM referrals.referrals WHERE sponsor_user_id = $1 AND (invited_name IS NOT NULL OR invited_phone IS NOT NULL)",
        UUID.fromString(sponsor.getString("user_id"))));
  }
}
