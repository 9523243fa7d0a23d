package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.wave.WaveSignature;
import sn.wolo.platform.wave.WaveSimulator;
import sn.wolo.testing.Accounts;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sn.wolo.testing.Http.errorCode;

/** Donations through the Wave simulator, over real HTTP, against real PostgreSQL. */
class DonationFlowsTest {

  private static final AtomicInteger PHONES = new AtomicInteger(7000);
  private static MutableClock clock;
  private static TestApp app;
  private static Http http;
  private static Accounts accounts;
  private static WaveSimulator wave;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now());
    app = TestApp.start(Map.of("wave.breaker-failures", "1000", "donation.risk.max-per-phone-per-hour", "3",
        "donation.risk.max-per-ip-per-hour", "1000", "wave.max-retries", "3",
        // a phone burst alone (weight 40) must refuse here; the default threshold needs two rules
        "donation.risk.refuse-threshold", "40",
        // reconciliation runs only when a test asks: a timer-driven run could take an injected Wave failure
        "donation.reconcile-ms", "3600000"), clock);
    http = app.http();
    accounts = app.accounts();
    wave = app.wave();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** An open public pot (the owner's birthday is in 10 days). */
  static String openPot(boolean allowAnonymous) {
    JsonObject owner = accounts.otpLogin(String.format("+22177%07d", PHONES.incrementAndGet()));
    String dob = java.time.LocalDate.now(java.time.ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString();
    http.put("/v1/me/profile", new JsonObject().put("full_name", "Pot Owner").put("date_of_birth", dob), owner.getString("access_token"));
    var pot = http.post("/v1/pots", new JsonObject().put("title", "Cadeau").put("target_amount_cfa", 50_000)
        .put("visibility", "public").put("allow_anonymous_donations", allowAnonymous), owner.getString("access_token"));
    assertEquals(201, pot.statusCode(), pot.bodyAsString());
    return pot.bodyAsJsonObject().getString("id");
  }

  static HttpResponse<Buffer> donate(String potId, JsonObject body) {
    return http.post("/v1/pots/" + potId + "/donations", body, null);
  }

  static JsonObject donation(String id) {
    return http.get("/v1/donations/" + id, null).bodyAsJsonObject();
  }

  static long raised(String potId) {
    return Await.result(TypedBus.proxy(app.vertx(), sn.wolo.donation.api.Donations.class).totals(java.util.UUID.fromString(potId))).raisedCfa();
  }

  static long count(String sql, Object... params) {
    return Await.result(app.sql().preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
  }

  @Test
  void theHappyPathCreditsThePotOnce() {
    String pot = openPot(true);
    var r = donate(pot, new JsonObject().put("amount_cfa", 5000).put("donor_name", "Awa").put("message", "Bon anniversaire")
        .put("is_anonymous", false).put("show_amount", true));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject created = r.bodyAsJsonObject();
    assertEquals("pending", created.getString("status"));
    assertTrue(created.getString("wave_launch_url").startsWith(wave.baseUrl() + "/pay/"));
    JsonObject session = wave.session(created.getString("checkout_session_id"));
    assertEquals("5000", session.getString("amount"), "Wave gets whole francs as a string");
    assertEquals(created.getString("id"), session.getString("client_reference"));

    Await.result(wave.complete(created.getString("checkout_session_id")));
    Eventually.until("donation succeeded", () -> "succeeded".equals(donation(created.getString("id")).getString("status")));
    assertEquals(5000, raised(pot));
    assertEquals(1, count("SELECT count(*) FROM platform.outbox WHERE event_type = 'donation.succeeded' AND aggregate_id = $1",
        created.getString("id")));
    // The pot hears of it through the outbox relay and the event bus.
    Eventually.until("pot credited", () -> count("SELECT raised_cfa FROM pots.pots WHERE id = $1", UUID.fromString(pot)) == 5000);
  }

  /**
   * A webhook is due by the application's clock, the one the processor reads what is due with: a host
   * whose clock is behind the database's still settles a payment at once (the column's default, the
   * database's now(), left it waiting for as long as the clocks differ).
   */
  @Test
  void aPaymentSettlesAtOnceWhenThisHostsClockIsBehindTheDatabases() {
    String pot = openPot(true);
    var r = donate(pot, new JsonObject().put("amount_cfa", 2500).put("donor_name", "Lamine"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    java.time.Instant before = clock.instant();
    clock.set(java.time.Instant.now().minus(Duration.ofMinutes(2)));   // frozen, two minutes behind PostgreSQL
    try {
      Await.result(wave.complete(r.bodyAsJsonObject().getString("checkout_session_id")));
      Eventually.until("donation succeeded", () -> "succeeded".equals(donation(r.bodyAsJsonObject().getString("id")).getString("status")));
    } finally {
      clock.set(before);
    }
  }

  /** Issue 10: the credit event carries the total after it; the donor's name reaches the owner; a guest who left a phone is thanked. */
  @Test
  void aCreditCarriesTheTotalAfterItAndAGuestWithAPhoneIsThanked() {
    String pot = openPot(true);
    var r = donate(pot, new JsonObject().put("amount_cfa", 3000).put("donor_name", "Moussa Ndiaye").put("donor_phone", "77 321 00 11"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject created = r.bodyAsJsonObject();
    Await.result(wave.complete(created.getString("checkout_session_id")));
    Eventually.until("credited", () -> count("SELECT count(*) FROM platform.outbox WHERE event_type = 'pot.credited' AND aggregate_id = $1", pot) == 1);
    JsonObject credited = (JsonObject) Await.result(app.sql().preparedQuery(
        "SELECT payload FROM platform.outbox WHERE event_type = 'pot.credited' AND aggregate_id = $1").execute(Tuple.of(pot))).iterator().next().getValue(0);
    assertEquals(3000, credited.getLong("raised_after_cfa"));
    assertEquals("Moussa Ndiaye", credited.getString("donor_name"));
    Eventually.until("guest thanked by SMS", () -> count(
        "SELECT count(*) FROM notifications.notifications WHERE recipient_identifier = '+221773210011' AND user_id IS NULL") == 1);
  }

  /** Issue 10: a private pot takes money only through its share link, like its page. */
  @Test
  void aPrivatePotTakesDonationsOnlyWithItsShareToken() {
    JsonObject owner = accounts.otpLogin(String.format("+22177%07d", PHONES.incrementAndGet()));
    String token = owner.getString("access_token");
    String dob = java.time.LocalDate.now(java.time.ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1991).toString();
    http.put("/v1/me/profile", new JsonObject().put("full_name", "Awa Diop").put("date_of_birth", dob), token);
    var created = http.post("/v1/pots", new JsonObject().put("title", "Privé").put("target_amount_cfa", 50_000).put("visibility", "private"), token);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String pot = created.bodyAsJsonObject().getString("id");
    var invitation = http.post("/v1/pots/" + pot + "/invitations", new JsonObject().put("method", "sms").put("recipient", "77 555 12 12"), token);
    assertEquals(201, invitation.statusCode(), invitation.bodyAsString());
    String link = invitation.bodyAsJsonObject().getString("link");
    String share = link.substring(link.indexOf("?t=") + 3);

    JsonObject gift = new JsonObject().put("amount_cfa", 1000).put("donor_name", "Ami");
    assertEquals(404, donate(pot, gift).statusCode(), "no token: the pot is not found, as its page");
    assertEquals(404, http.post("/v1/pots/" + pot + "/donations?t=guess", gift, null).statusCode());
    var withToken = http.post("/v1/pots/" + pot + "/donations?t=" + share, gift, null);
    assertEquals(201, withToken.statusCode(), withToken.bodyAsString());
  }

  /** Issue 19: a signed delivery PostgreSQL cannot store fails alone; the 40 deliveries grouped with it are stored. */
  @Test
  void aPoisonedSignedDeliveryNeverFailsTheDeliveriesBesideIt() {
    String secret = app.context().config().string("wave.webhook.secret");
    long now = clock.instant().getEpochSecond();
    List<io.vertx.core.Future<HttpResponse<Buffer>>> innocent = new java.util.ArrayList<>();
    io.vertx.core.Future<HttpResponse<Buffer>> poisoned = null;
    String batch = UUID.randomUUID().toString();
    for (int i = 0; i < 41; i++) {
      boolean poison = i == 20;
      String body = new JsonObject().put("id", "AE_group_" + batch + "_" + i).put("type", "checkout.session.completed")
          .put("data", new JsonObject().put("client_reference", poison ? "x\u0000y" : UUID.randomUUID().toString())).encode();
      var f = app.client().post("/v1/webhooks/wave").putHeader("Content-Type", "application/json")
          .putHeader("Wave-Signature", WaveSignature.header(secret, now, body.getBytes(StandardCharsets.UTF_8))).sendBuffer(Buffer.buffer(body));
      if (poison) poisoned = f;
      else innocent.add(f);
    }
    Await.result(io.vertx.core.Future.join(new java.util.ArrayList<>(innocent)));
    innocent.forEach(f -> assertEquals(200, f.result().statusCode(), f.result().bodyAsString()));
    assertTrue(Await.result(poisoned.transform(ar -> io.vertx.core.Future.succeededFuture(ar.result()))).statusCode() >= 400);
    assertEquals(40, count("SELECT count(*) FROM donations.wave_webhook_events WHERE wave_event_id LIKE $1", "AE_group_" + batch + "%"));
  }

  /** Issue 19: a signed event whose data is not an object is parked with a clear reason, not retried forever. */
  @Test
  void aMalformedSignedEventIsParkedWithItsReason() {
    String id = "AE_malformed_" + UUID.randomUUID();
    String body = new JsonObject().put("id", id).put("type", "checkout.session.completed").put("data", "oops").encode();
    String secret = app.context().config().string("wave.webhook.secret");
    assertEquals(200, post(body, WaveSignature.header(secret, clock.instant().getEpochSecond(), body.getBytes(StandardCharsets.UTF_8))).statusCode());
    // A sweep already running when the event landed answers for itself; the next one takes the event.
    Eventually.until("processed", () -> {
      Await.result(Bus.call(app.vertx(), DonationVerticle.address("process-webhooks-now"), new JsonObject()));
      return count("SELECT count(*) FROM donations.wave_webhook_events WHERE wave_event_id = $1 AND processed_at IS NOT NULL", id) == 1;
    });
    Row r = Await.result(app.sql().preparedQuery("SELECT quarantined, processing_error, processed_at FROM donations.wave_webhook_events WHERE wave_event_id = $1")
        .execute(Tuple.of(id))).iterator().next();
    assertTrue(r.getBoolean("quarantined"));
    assertEquals("malformed event: data is not an object", r.getString("processing_error"));
    assertNotNull(r.getOffsetDateTime("processed_at"));
  }

  @Test
  void unauthenticatedDeliveriesAre401AndStoreNothing() {
    long before = count("SELECT count(*) FROM donations.wave_webhook_events");
    String body = new JsonObject().put("id", "AE_forged_" + UUID.randomUUID()).put("type", "checkout.session.completed")
        .put("data", new JsonObject()).encode();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String secret = app.context().config().string("wave.webhook.secret");
    long now = clock.instant().getEpochSecond();

    assertEquals(401, post(body, null).statusCode(), "missing header");
    assertEquals(401, post(body, WaveSignature.header("not-the-secret", now, bytes)).statusCode(), "wrong secret");
    assertEquals(401, post(body, WaveSignature.header(secret, now - 301, bytes)).statusCode(), "stale timestamp");
    assertEquals(401, post(body, WaveSignature.header(secret, now, "{\"other\":1}".getBytes(StandardCharsets.UTF_8))).statusCode(),
        "signature of another body");
    assertEquals(before, count("SELECT count(*) FROM donations.wave_webhook_events"));
    // A rotated secret: any matching v1 is enough.
    String rotated = "t=" + now + ",v1=" + "0".repeat(64) + "," + WaveSignature.header(secret, now, bytes).split(",")[1];
    assertEquals(200, post(body, rotated).statusCode());
  }

  @Test
  void tenCopiesOfTheSameEventAndALatePaymentFailedLeaveOneSucceededDonation() {
    String pot = openPot(true);
    JsonObject created = donate(pot, new JsonObject().put("amount_cfa", 3000)).bodyAsJsonObject();
    String sessionId = created.getString("checkout_session_id");
    wave.webhookCopies(10);
    try {
      Await.result(wave.complete(sessionId));
    } finally {
      wave.webhookCopies(1);
    }
    Eventually.until("succeeded", () -> "succeeded".equals(donation(created.getString("id")).getString("status")));
    Await.result(wave.fail(sessionId, "payment-failure"));   // a contradictory, late event
    Eventually.until("all events processed", () -> count("""
        SELECT count(*) FROM donations.wave_webhook_events WHERE donation_id = $1 AND processed_at IS NOT NULL""",
        UUID.fromString(created.getString("id"))) == 2);
    assertEquals("succeeded", donation(created.getString("id")).getString("status"));
    assertEquals(3000, raised(pot));
    assertEquals(1, count("SELECT count(*) FROM platform.outbox WHERE event_type = 'donation.succeeded' AND aggregate_id = $1",
        created.getString("id")));
    assertTrue(wave.webhookAttempts() >= 11);
  }

  @Test
  void aLostWebhookIsRecoveredByReconciliation() {
    String pot = openPot(true);
    JsonObject created = donate(pot, new JsonObject().put("amount_cfa", 7000)).bodyAsJsonObject();
    wave.dropWebhooks(true);
    try {
      Await.result(wave.complete(created.getString("checkout_session_id")));
    } finally {
      wave.dropWebhooks(false);
    }
    assertEquals("pending", donation(created.getString("id")).getString("status"));
    clock.advance(Duration.ofMinutes(11));
    JsonObject run = Await.result(Bus.call(app.vertx(), DonationVerticle.address("reconcile"), new JsonObject()));
    assertTrue(run.getInteger("settled") >= 1);
    assertEquals("succeeded", donation(created.getString("id")).getString("status"));
    assertEquals(7000, raised(pot));
  }

  /** Issue 17: two instances reconciling at once share the work: Wave is asked about each donation once. */
  @Test
  void twoReconcilersAtOnceAskWaveOnceAboutEachDonation() {
    String pot = openPot(true);
    List<JsonObject> created = new java.util.ArrayList<>();
    wave.dropWebhooks(true);
    try {
      for (int i = 0; i < 30; i++) {
        var r = donate(pot, new JsonObject().put("amount_cfa", 1000 + i));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        created.add(r.bodyAsJsonObject());
        Await.result(wave.complete(r.bodyAsJsonObject().getString("checkout_session_id")));
      }
    } finally {
      wave.dropWebhooks(false);
    }
    clock.advance(Duration.ofMinutes(11));
    var a = Bus.call(app.vertx(), DonationVerticle.address("reconcile"), new JsonObject());
    var b = Bus.call(app.vertx(), DonationVerticle.address("reconcile"), new JsonObject());
    Await.result(io.vertx.core.Future.join(a, b), 120);
    for (JsonObject d : created) {
      assertEquals(1, wave.sessionReads(d.getString("checkout_session_id")), "asked once about " + d.getString("id"));
      assertEquals("succeeded", donation(d.getString("id")).getString("status"));
    }
    Eventually.until("every franc credited once", () -> raised(pot) == 30 * 1000 + 29 * 30 / 2);
  }

  /** Issue 19: 1,000 donations Wave does not know no longer stall reconciliation; after a session's lifetime they end failed. */
  @Test
  void reconciliationAdvancesPastAThousandDonationsWaveDoesNotKnow() {
    String pot = openPot(true);
    Instant now = clock.instant();
    Await.result(app.sql().preparedQuery("""
        INSERT INTO donations.donations (pot_id, amount_cfa, status, wave_checkout_session_id, initiated_at)
        SELECT $1, 1000, 'pending', 'cos-unknown-' || g, $2 FROM generate_series(1, 1000) g""")
        .execute(Tuple.of(UUID.fromString(pot), java.time.OffsetDateTime.ofInstant(now.minus(Duration.ofMinutes(20)), java.time.ZoneOffset.UTC))));
    // A real payment whose webhook was lost, younger than all of them (so last in age order).
    JsonObject paid = donate(pot, new JsonObject().put("amount_cfa", 4500)).bodyAsJsonObject();
    wave.dropWebhooks(true);
    try {
      Await.result(wave.complete(paid.getString("checkout_session_id")));
    } finally {
      wave.dropWebhooks(false);
    }
    Await.result(app.sql().preparedQuery("UPDATE donations.donations SET initiated_at = $2 WHERE id = $1").execute(Tuple.of(
        UUID.fromString(paid.getString("id")), java.time.OffsetDateTime.ofInstant(now.minus(Duration.ofMinutes(15)), java.time.ZoneOffset.UTC))));

    for (int run = 0; run < 7 && !"succeeded".equals(donation(paid.getString("id")).getString("status")); run++) {
      Await.result(Bus.call(app.vertx(), DonationVerticle.address("reconcile"), new JsonObject()), 120);
    }
    assertEquals("succeeded", donation(paid.getString("id")).getString("status"), "the queue advanced past the unknown ones");
    assertEquals(1000, count("SELECT count(*) FROM donations.donations WHERE wave_checkout_session_id LIKE 'cos-unknown-%' AND status = 'pending'"
        + " AND reconcile_after IS NOT NULL"), "still young: postponed with backoff, not failed");

    clock.advance(Duration.ofHours(2));
    for (int run = 0; run < 7; run++) Await.result(Bus.call(app.vertx(), DonationVerticle.address("reconcile"), new JsonObject()), 120);
    assertEquals(1000, count("SELECT count(*) FROM donations.donations WHERE wave_checkout_session_id LIKE 'cos-unknown-%' AND status = 'failed'"),
        "past a session's lifetime, Wave's silence means expired");
  }

  @Test
  void waveFailingTwiceThenAnsweringCreatesExactlyOneSession() {
    String pot = openPot(true);
    int before = wave.sessionsCreated();
    wave.failNextCalls(2, 500);
    var r = donate(pot, new JsonObject().put("amount_cfa", 2500));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(before + 1, wave.sessionsCreated());
  }

  /**
   * The Wave session is opened before the donation is stored. When the store fails in between (here
   * the database refuses the row; a crash is the same for the donor), the answer is a 5xx without the
   * session's URL — so that session can never be paid — and nothing is stored; the retry with the same
   * Idempotency-Key runs again (a 5xx frees the key), opens a new session and stores exactly one donation.
   */
  @Test
  void aStoreFailingAfterTheWaveSessionLeavesNothingPayableAndTheRetryStoresOne() {
    String pot = openPot(true);
    Await.result(app.sql().query("""
        CREATE FUNCTION refuse_donation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
        CREATE TRIGGER refuse_donation BEFORE INSERT ON donations.donations FOR EACH ROW
        WHEN (NEW.pot_id = '%s') EXECUTE FUNCTION refuse_donation()""".formatted(pot)).execute());
    int before = wave.sessionsCreated();
    String key = "retry-" + UUID.randomUUID();
    JsonObject body = new JsonObject().put("amount_cfa", 3000).put("donor_phone", "+221770009911");
    HttpResponse<Buffer> failed;
    try {
      failed = Await.result(app.client().post("/v1/pots/" + pot + "/donations").putHeader("Idempotency-Key", key).sendJsonObject(body));
    } finally {
      Await.result(app.sql().query("DROP TRIGGER refuse_donation ON donations.donations; DROP FUNCTION refuse_donation()").execute());
    }
    assertTrue(failed.statusCode() >= 500, failed.statusCode() + " " + failed.bodyAsString());
    assertFalse(failed.bodyAsString().contains("wave_launch_url") || failed.bodyAsString().contains("cos-"), failed.bodyAsString());
    assertEquals(before + 1, wave.sessionsCreated(), "the session was opened");
    assertEquals(0, count("SELECT count(*) FROM donations.donations WHERE pot_id = $1", UUID.fromString(pot)), "nothing stored");

    var retried = Await.result(app.client().post("/v1/pots/" + pot + "/donations").putHeader("Idempotency-Key", key).sendJsonObject(body));
    assertEquals(201, retried.statusCode(), retried.bodyAsString());
    assertEquals(before + 2, wave.sessionsCreated(), "the retry opened its own session");
    assertEquals(1, count("SELECT count(*) FROM donations.donations WHERE pot_id = $1", UUID.fromString(pot)), "one donation");
    assertEquals(retried.bodyAsJsonObject().getString("id"), Await.result(app.sql().preparedQuery(
        "SELECT id::text FROM donations.donations WHERE pot_id = $1").execute(Tuple.of(UUID.fromString(pot)))).iterator().next().getString(0));
  }

  @Test
  void whenWaveIsDownTheClientGetsA503AndTheDonationIsFailed() {
    String pot = openPot(true);
    wave.failNextCalls(100, 503);
    HttpResponse<Buffer> r;
    try {
      r = donate(pot, new JsonObject().put("amount_cfa", 2500));
    } finally {
      wave.failNextCalls(0, 500);
    }
    assertEquals(503, r.statusCode());
    assertEquals("wave_unavailable", errorCode(r));
    assertEquals(1, count("SELECT count(*) FROM donations.donations WHERE pot_id = $1 AND status = 'failed'", UUID.fromString(pot)));
  }

  /**
   * Wave answers in hundreds of milliseconds over the Internet. A burst of donors must reach it
   * concurrently: with the HTTP client's default pool (5 connections) the calls queued 5 at a time,
   * which caps initiation at 5 ÷ Wave's latency (25/s at 200 ms) whatever the server could do.
   */
  @Test
  void aBurstOfDonorsReachesASlowWaveConcurrentlyNotFiveAtATime() {
    String pot = openPot(true);
    var client = io.vertx.ext.web.client.WebClient.create(app.vertx(), new io.vertx.ext.web.client.WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(app.port()), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(30));
    wave.answerAfter(Duration.ofMillis(500));
    wave.resetMostCallsAtOnce();
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        answers.add(client.post("/v1/pots/" + pot + "/donations").sendJsonObject(new JsonObject().put("amount_cfa", 1_000 + i)));
      }
      Await.result(Future.join(answers).otherwiseEmpty(), 60);
    } finally {
      wave.answerAfter(Duration.ZERO);
      client.close();
    }
    answers.forEach(a -> assertEquals(201, a.result().statusCode(), a.result().bodyAsString()));
    assertTrue(wave.mostCallsAtOnce() >= 20, "Wave saw at most " + wave.mostCallsAtOnce() + " of 30 donors' calls at once");
  }

  @Test
  void refundsCannotHappenTwiceEvenConcurrently() {
    String pot = openPot(true);
    JsonObject created = donate(pot, new JsonObject().put("amount_cfa", 4000)).bodyAsJsonObject();
    Await.result(wave.complete(created.getString("checkout_session_id")));
    Eventually.until("succeeded", () -> "succeeded".equals(donation(created.getString("id")).getString("status")));
    String admin = admin();
    int refundsBefore = wave.refundsMade();
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(app.client().post("/v1/admin/donations/" + created.getString("id") + "/refunds")
          .putHeader("Authorization", "Bearer " + admin)
          .sendJsonObject(new JsonObject().put("reason", "user_request").put("description", "Erreur de montant")));
    }
    Await.result(Future.join(calls).otherwiseEmpty(), 30);
    long ok = calls.stream().filter(f -> f.succeeded() && f.result().statusCode() == 201).count();
    long refused = calls.stream().filter(f -> f.succeeded() && f.result().statusCode() == 409).count();
    List<String> statuses = calls.stream().map(f -> f.succeeded() ? f.result().statusCode() + " " + f.result().bodyAsString()
        : f.cause().toString()).toList();
    assertEquals(1, ok, statuses.toString());
    assertEquals(4, refused, statuses.toString());
    assertEquals(refundsBefore + 1, wave.refundsMade());
    assertEquals("refunded", donation(created.getString("id")).getString("status"));
    assertEquals(0, raised(pot));
    String auditPath = "/v1/admin/audit-logs?resource_type=donation&resource_id=" + created.getString("id");
    Eventually.until("refund audited", () -> http.get(auditPath, admin).bodyAsJsonObject().getJsonArray("items").size() == 1);
    JsonObject entry = http.get(auditPath, admin).bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
    assertEquals("refund_processed", entry.getString("action"));
    assertEquals("user_request", entry.getString("reason"));
    assertNotNull(entry.getString("actor_user_id"), "the admin who refunded");
    var user = http.post("/v1/admin/donations/" + created.getString("id") + "/refunds", new JsonObject().put("reason", "fraud"),
        accounts.otpLogin(String.format("+22177%07d", PHONES.incrementAndGet())).getString("access_token"));
    assertEquals(403, user.statusCode(), "admins only");
  }

  /** Issue 16: the app polling a pending donation gets 304 until its state changes; so does the public page. */
  @Test
  void pollingGets304UntilTheStateChanges() {
    String pot = openPot(true);
    JsonObject created = donate(pot, new JsonObject().put("amount_cfa", 1500)).bodyAsJsonObject();
    var first = http.get("/v1/donations/" + created.getString("id"), null);
    String etag = first.getHeader("ETag");
    assertTrue(etag != null && etag.startsWith("\""), "a strong ETag");
    var same = Await.result(app.client().get("/v1/donations/" + created.getString("id")).putHeader("If-None-Match", etag).send());
    assertEquals(304, same.statusCode());
    assertEquals(null, same.bodyAsString(), "no body");
    Await.result(wave.complete(created.getString("checkout_session_id")));
    Eventually.until("succeeded", () -> "succeeded".equals(donation(created.getString("id")).getString("status")));
    var changed = Await.result(app.client().get("/v1/donations/" + created.getString("id")).putHeader("If-None-Match", etag).send());
    assertEquals(200, changed.statusCode(), "the state changed: the new body");
    var page = http.get("/v1/public/pots/" + pot, null);
    assertEquals(304, Await.result(app.client().get("/v1/public/pots/" + pot).putHeader("If-None-Match", page.getHeader("ETag")).send()).statusCode());
  }

  /** Issue 16: a misspelt field is refused and named, never silently ignored (here it would have made a named donation). */
  @Test
  void aMisspeltFieldIsRefusedNotIgnored() {
    String pot = openPot(true);
    var r = donate(pot, new JsonObject().put("amount_cfa", 2000).put("donor_name", "Awa").put("anonymous", true));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertEquals("unknown_field", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertTrue(r.bodyAsJsonObject().getJsonObject("error").getString("message").contains("anonymous"), r.bodyAsString());
    assertEquals(0, count("SELECT count(*) FROM donations.donations WHERE pot_id = $1", UUID.fromString(pot)), "nothing was created");
    var created = http.post("/v1/pots", new JsonObject().put("title", "x").put("target_amount_cfa", 5000).put("visibilty", "public"),
        accounts.otpLogin(String.format("+22177%07d", PHONES.incrementAndGet())).getString("access_token"));
    assertEquals("unknown_field", created.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  void aPaymentAfterTheGiftWasConvertedIsRefundedNotCredited() {
    String pot = openPot(true);
    JsonObject created = donate(pot, new JsonObject().put("amount_cfa", 8000)).bodyAsJsonObject();
    Await.result(app.sql().preparedQuery("UPDATE pots.pots SET status = 'closed', closed_at = now(), gift_converted_at = now(), gift_price_cfa = 5000, gift_surplus_cfa = 0 WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(pot))));
    int refundsBefore = wave.refundsMade();
    Await.result(wave.complete(created.getString("checkout_session_id")));
    Eventually.until("refunded", () -> "refunded".equals(donation(created.getString("id")).getString("status")));
    assertEquals(refundsBefore + 1, wave.refundsMade());
    assertEquals(0, count("SELECT raised_cfa FROM pots.pots WHERE id = $1", UUID.fromString(pot)), "not credited to the pot");
    assertEquals(1, count("SELECT count(*) FROM donations.refunds WHERE donation_id = $1 AND reason = 'failed_pot' AND refunded_by_user_id IS NULL",
        UUID.fromString(created.getString("id"))));
  }

  @Test
  void aVelocityBurstFromOnePhoneIsRefused() {
    String pot = openPot(true);
    JsonObject body = new JsonObject().put("amount_cfa", 1000).put("donor_phone", "77 999 88 77");
    for (int i = 0; i < 3; i++) assertEquals(201, donate(pot, body).statusCode());
    var r = donate(pot, body);
    assertEquals(403, r.statusCode());
    assertEquals("donation_refused_risk", errorCode(r));
    assertTrue(r.bodyAsString().contains("phone_velocity"));
  }

  @Test
  void mismatchedAmountsAreQuarantinedAndUnknownReferencesRecorded() {
    String pot = openPot(true);
    JsonObject created = donate(pot, new JsonObject().put("amount_cfa", 6000)).bodyAsJsonObject();
    JsonObject forged = wave.session(created.getString("checkout_session_id")).put("amount", "60000")
        .put("checkout_status", "complete").put("payment_status", "succeeded");
    Await.result(wave.deliver("checkout.session.completed", forged));
    Await.result(wave.deliver("checkout.session.completed", forged.copy().put("client_reference", UUID.randomUUID().toString())
        .put("id", "cos-unknown")));
    Eventually.until("quarantined", () -> count("""
        SELECT count(*) FROM donations.wave_webhook_events WHERE quarantined AND processing_error LIKE 'amount mismatch%'
        AND raw_payload -> 'data' ->> 'client_reference' = $1""", created.getString("id")) == 1);
    Eventually.until("unknown recorded", () -> count("""
        SELECT count(*) FROM donations.wave_webhook_events WHERE processed_at IS NOT NULL
        AND processing_error = 'unknown client_reference' AND raw_payload -> 'data' ->> 'id' = 'cos-unknown'""") == 1);
    assertEquals("pending", donation(created.getString("id")).getString("status"));
    assertEquals(0, raised(pot));
  }

  @Test
  void donationsAreCheckedAgainstThePotsRules() {
    String pot = openPot(false);
    assertEquals("invalid_amount_cfa", errorCode(donate(pot, new JsonObject().put("amount_cfa", 1500.5))));
    assertEquals("invalid_amount_cfa", errorCode(donate(pot, new JsonObject().put("amount_cfa", "1500"))));
    assertEquals("invalid_amount_cfa", errorCode(donate(pot, new JsonObject().put("amount_cfa", 5))));
    assertEquals("anonymous_not_allowed", errorCode(donate(pot, new JsonObject().put("amount_cfa", 1000).put("is_anonymous", true))));
    assertEquals(404, donate(UUID.randomUUID().toString(), new JsonObject().put("amount_cfa", 1000)).statusCode());
    assertNotNull(pot);
  }

  private static HttpResponse<Buffer> post(String body, String signature) {
    var req = app.client().post("/v1/webhooks/wave").putHeader("Content-Type", "application/json");
    if (signature != null) req.putHeader("Wave-Signature", signature);
    return Await.result(req.sendBuffer(Buffer.buffer(body)));
  }

  private static String admin() {
    JsonObject user = accounts.otpLogin(String.format("+22177%07d", PHONES.incrementAndGet()));
    Row r = Await.result(app.sql().preparedQuery("UPDATE identity.users SET roles = ARRAY['user','admin'] WHERE id = $1 RETURNING phone")
        .execute(Tuple.of(UUID.fromString(user.getString("user_id"))))).iterator().next();
    clock.advance(Duration.ofMinutes(2));
    String access = accounts.otpLogin(r.getString("phone")).getString("access_token");
    clock.advance(Duration.ofMinutes(2));
    assertEquals(202, http.post("/v1/auth/otp/request", new JsonObject().put("phone", r.getString("phone")), null).statusCode());
    var console = http.post("/v1/admin/sessions", new JsonObject().put("code", accounts.latestCode(r.getString("phone"))), access);
    assertEquals(201, console.statusCode(), console.bodyAsString());
    return console.bodyAsJsonObject().getString("admin_token");
  }
}
