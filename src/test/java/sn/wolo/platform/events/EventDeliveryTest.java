package sn.wolo.platform.events;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.ChildServer;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.TestApp;
import sn.wolo.testing.TestDatabases;

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
 * At-least-once delivery to every consumer, exactly-once effect: injected consumer failures, a
 * poison event, and a server killed with SIGKILL in the middle of a stream, on real PostgreSQL.
 * Failures are injected into the REAL pot-funding consumer by a trigger that raises in its
 * transaction (a sequence counts the attempts: it is not rolled back with them).
 */
class EventDeliveryTest {

  private static final AtomicInteger PHONES = new AtomicInteger();
  private static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("events.max-attempts", "4", "events.retry-base-ms", "20", "auth.rate-limit-per-minute", "1000",
        "otp.max-per-ip-per-hour", "1000", "http.rate-limit-per-minute", "10000"), java.time.Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aConsumerFailingItsFirstThreeDeliveriesAppliesTheEventExactlyOnceAfterRecovery() {
    UUID pot = newPot();
    sql("""
        CREATE SEQUENCE fault_attempts;
        CREATE FUNCTION fail_first_three() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF nextval('fault_attempts') <= 3 THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER fail_first_three BEFORE UPDATE OF raised_cfa ON pots.pots FOR EACH ROW EXECUTE FUNCTION fail_first_three();""");
    try {
      DomainEvent e = donationSucceeded(pot, 7000);
      append(e);
      Eventually.until("applied after the faults", () -> raised(pot) == 7000 && pending(e.eventId()) == 0);
      assertEquals(4, scalar("SELECT last_value FROM fault_attempts"), "three failed attempts, then one success");
      assertEquals(7000, raised(pot), "credited once");
      assertEquals(1, scalar("SELECT count(*) FROM platform.outbox WHERE event_type = 'pot.credited' AND aggregate_id = '" + pot + "'"));
      assertEquals(1, scalar("SELECT count(*) FROM platform.processed_events WHERE consumer = 'pot.funding' AND event_id = '" + e.eventId() + "'"));
    } finally {
      sql("DROP TRIGGER fail_first_three ON pots.pots; DROP FUNCTION fail_first_three(); DROP SEQUENCE fault_attempts;");
    }
  }

  @Test
  void aPoisonEventIsParkedAfterMaxAttemptsVisibleToAdminsAndDoesNotBlockTheEventsBehindIt() {
    UUID pot = newPot();
    DomainEvent poison = DomainEvent.of("donation.succeeded", "donation", UUID.randomUUID(),
        new JsonObject().put("pot_id", "not-a-pot").put("donation_id", UUID.randomUUID().toString()).put("amount_cfa", 1), Instant.now());
    DomainEvent good = donationSucceeded(pot, 2500);
    append(poison);
    append(good);
    Eventually.until("the good event applied", () -> raised(pot) == 2500);
    Eventually.until("the poison parked", () -> scalar("SELECT count(*) FROM platform.undelivered_events WHERE consumer = 'pot.funding' AND event_id = '"
        + poison.eventId() + "' AND parked_at IS NOT NULL AND attempts = 4") == 1);

    String admin = app.accounts().admin(app.sql(), phone());
    JsonObject overview = app.http().get("/v1/admin/events", admin).bodyAsJsonObject();
    JsonObject parked = overview.getJsonArray("parked").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("event_id").equals(poison.eventId().toString())).findFirst().orElseThrow();
    assertEquals("pot.funding", parked.getString("consumer"));
    assertTrue(parked.getString("last_error").contains("not-a-pot"), parked.encode());
    assertEquals(403, app.http().get("/v1/admin/events", app.accounts().otpLogin(phone()).getString("access_token")).statusCode());

    // An admin puts it back: it is tried again (and, still poisoned, parked again).
    var retried = app.http().post("/v1/admin/events/parked/pot.funding/" + poison.eventId() + "/retry", new JsonObject(), admin);
    assertEquals(200, retried.statusCode(), retried.bodyAsString());
    Eventually.until("parked again after new attempts", () -> scalar("SELECT count(*) FROM platform.undelivered_events WHERE event_id = '"
        + poison.eventId() + "' AND parked_at IS NOT NULL AND attempts = 4") == 1);
    assertEquals(404, app.http().post("/v1/admin/events/parked/pot.funding/" + UUID.randomUUID() + "/retry", new JsonObject(), admin).statusCode());
  }

  /** Issue 10: the "pot opened" message carries an absolute link (the public base URL), not "/p/…". */
  @Test
  void thePotOpenedMessageCarriesAnAbsoluteLink() {
    UUID pot = newPot();   // the birthday is less than 30 days away: it opens at once
    String link = app.context().config().string("public.base-url") + "/p/" + pot;
    Eventually.until("pot_opened message with an absolute link", () -> Await.result(app.sql().preparedQuery("""
        SELECT count(*) FROM notifications.notifications n JOIN notifications.notification_templates t ON t.id = n.template_id
        WHERE t.template_key = 'pot_opened' AND position($1 in n.body) > 0""").execute(Tuple.of(link))).iterator().next().getLong(0) == 1);
  }

  @Test
  void anIntegrityRunReportsAPotTotalCorruptedInSql() {
    UUID pot = newPot();
    append(donationSucceeded(pot, 3000));
    Eventually.until("credited", () -> raised(pot) == 3000);
    // The check skips pots with an event still in flight (pot.credited is relayed just after the credit).
    Eventually.until("relayed", () -> Await.result(app.sql().preparedQuery(
        "SELECT count(*) FROM platform.outbox WHERE published_at IS NULL AND payload ->> 'pot_id' = $1").execute(Tuple.of(pot.toString())))
        .iterator().next().getLong(0) == 0);
    String admin = app.accounts().admin(app.sql(), phone());
    // No donation row backs the credit above: the ledger says 0. Corrupt further to see actual vs expected.
    sql("UPDATE pots.pots SET raised_cfa = 999 WHERE id = '" + pot + "'");
    var run = app.http().post("/v1/admin/integrity/run", new JsonObject(), admin);
    assertEquals(200, run.statusCode(), run.bodyAsString());
    JsonObject finding = run.bodyAsJsonObject().getJsonArray("findings").stream().map(JsonObject.class::cast)
        .filter(f -> f.getString("subject").equals(pot.toString())).findFirst().orElseThrow();
    assertEquals("pot_total", finding.getString("check"));
    assertEquals("0", finding.getString("expected"));
    assertEquals("999", finding.getString("actual"));
    assertTrue(run.bodyAsJsonObject().getJsonObject("counts").getInteger("pot_total") >= 1);
    var stored = app.http().get("/v1/admin/integrity/findings", admin).bodyAsJsonObject().getJsonArray("findings");
    assertTrue(stored.stream().map(JsonObject.class::cast).anyMatch(f -> f.getString("subject").equals(pot.toString())));
  }

  /**
   * 300 donation events stream into the pot consumer of a server process that is killed with
   * SIGKILL in the middle (small batches, and a trigger slowing each batch's credit, so the kill lands mid-stream); a new process
   * on the same database finishes the stream: every event applied exactly once.
   */
  @Test
  void aServerKilledMidStreamAppliesEveryEventExactlyOnceAfterRestart() {
    var db = TestDatabases.migrated();
    UUID pot;
    try (TestApp seed = TestApp.start(Map.of("db.url", db.url()), java.time.Clock.systemUTC())) {
      pot = newPot(seed);
    }
    TestDatabases.execute(db, """
        CREATE FUNCTION slow_credit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$;
        CREATE TRIGGER slow_credit BEFORE UPDATE OF raised_cfa ON pots.pots FOR EACH ROW EXECUTE FUNCTION slow_credit();""");
    // A short lease: the deliveries the killed process had claimed are retried 2 s after the kill.
    // Batches of 10: a pot's credits are one UPDATE per batch, so 300 events take 30 slowed commits.
    Map<String, String> env = Map.of("WOLO_DB_URL", db.url(), "WOLO_EVENTS_POLL_MS", "50", "WOLO_OUTBOX_POLL_MS", "50",
        "WOLO_EVENTS_LEASE_SECONDS", "2", "WOLO_EVENTS_BATCH_SIZE", "10");
    ChildServer first = ChildServer.spawn("kill-mid-stream", env).awaitReady(Duration.ofSeconds(90));
    var sql = io.vertx.sqlclient.Pool.pool(app.vertx(), db.connectOptions(), new io.vertx.sqlclient.PoolOptions().setMaxSize(2));
    try {
      List<DomainEvent> events = new ArrayList<>();
      long expected = 0;
      for (int i = 1; i <= 300; i++) {
        events.add(donationSucceeded(pot, i));
        expected += i;
      }
      Await.result(sql.withTransaction(tx -> Outbox.appendAll(tx, events)));
      Eventually.until("some applied", () -> count(sql, "SELECT count(*) FROM platform.processed_events WHERE consumer = 'pot.funding'") >= 20);
      first.kill9();
      long appliedAtKill = count(sql, "SELECT count(*) FROM platform.processed_events WHERE consumer = 'pot.funding'");
      assertTrue(appliedAtKill < 300, "killed mid-stream (" + appliedAtKill + " applied)");

      try (ChildServer second = ChildServer.spawn("after-kill", env).awaitReady(Duration.ofSeconds(90))) {
        Eventually.until("all applied after restart", () ->
            count(sql, "SELECT count(*) FROM platform.processed_events WHERE consumer = 'pot.funding'") == 300
                && count(sql, "SELECT count(*) FROM platform.undelivered_events WHERE consumer = 'pot.funding'") == 0);
        Row p = Await.result(sql.preparedQuery("SELECT raised_cfa, succeeded_donations FROM pots.pots WHERE id = $1").execute(Tuple.of(pot)))
            .iterator().next();
        assertEquals(expected, p.getLong("raised_cfa"), "every franc credited once");
        assertEquals(300, p.getInteger("succeeded_donations"));
        assertEquals(300, count(sql, "SELECT count(*) FROM platform.outbox WHERE event_type = 'pot.credited' AND aggregate_id = '" + pot + "'"));
      }
    } finally {
      Await.result(sql.close());
      first.close();
    }
  }

  /**
   * Issue 18 (V29): consumers read the outbox after a cursor. Outbox ids are taken at insert, and
   * transactions commit out of that order: an event whose transaction is still open when a later
   * event is published and applied must still be delivered once it commits (a cursor over ids alone
   * would have passed it).
   */
  @Test
  void anEventWhoseTransactionCommitsAfterALaterOnesIsStillDelivered() {
    UUID pot = newPot();
    DomainEvent early = donationSucceeded(pot, 1_000);
    DomainEvent late = donationSucceeded(pot, 2_000);
    SqlConnection held = Await.result(app.sql().getConnection());
    try {
      Transaction tx = Await.result(held.begin());
      Await.result(Outbox.append(held, early));   // takes the smaller outbox id, commits last
      append(late);
      Eventually.until("the later event applied", () -> raised(pot) == 2_000 && pending(late.eventId()) == 0);
      Await.result(tx.commit());
      assertTrue(scalar("SELECT id FROM platform.outbox WHERE event_id = '" + early.eventId() + "'")
          < scalar("SELECT id FROM platform.outbox WHERE event_id = '" + late.eventId() + "'"), "the early event has the smaller id");
      Eventually.until("the earlier event applied too", () -> raised(pot) == 3_000 && pending(early.eventId()) == 0);
      assertEquals(2, scalar("SELECT count(*) FROM platform.outbox WHERE event_type = 'pot.credited' AND aggregate_id = '" + pot + "'"));
    } finally {
      Await.result(held.close());
    }
  }

  /** Issue 18 (V29): an event past its retention is purged only once the cursor of every consumer of its type has passed it. */
  @Test
  void aPublishedEventIsNotPurgedBeforeALaggingConsumerHasReadIt() {
    UUID pot = newPot();
    DomainEvent e = donationSucceeded(pot, 500);
    append(e);
    Eventually.until("applied", () -> raised(pot) == 500 && pending(e.eventId()) == 0);
    long batch = scalar("SELECT relay_batch FROM platform.outbox WHERE event_id = '" + e.eventId() + "'");
    sql("UPDATE platform.outbox SET published_at = now() - interval '30 days' WHERE event_id = '" + e.eventId() + "';"
        + "INSERT INTO platform.event_subscriptions (consumer, event_type) VALUES ('test.lagging', 'donation.succeeded');"
        + "INSERT INTO platform.event_cursors (consumer, relay_batch, outbox_id) VALUES ('test.lagging', " + (batch - 1) + ", 0);");
    try {
      Await.result(sn.wolo.platform.bus.Bus.call(app.vertx(), OutboxRelayVerticle.PURGE_NOW, new JsonObject()));
      assertEquals(1, scalar("SELECT count(*) FROM platform.outbox WHERE event_id = '" + e.eventId() + "'"), "kept for the lagging consumer");
    } finally {
      sql("DELETE FROM platform.event_cursors WHERE consumer = 'test.lagging'; DELETE FROM platform.event_subscriptions WHERE consumer = 'test.lagging';");
    }
    // Its other consumers (analytics, notifications, points) pass it in their own time.
    Eventually.until("purged once every cursor passed it", () -> {
      Await.result(sn.wolo.platform.bus.Bus.call(app.vertx(), OutboxRelayVerticle.PURGE_NOW, new JsonObject()));
      return scalar("SELECT count(*) FROM platform.outbox WHERE event_id = '" + e.eventId() + "'") == 0;
    });
  }

  /**
   * Issue 18: the pot-funding consumer commits a lane's share of a batch in one transaction. One pot
   * whose update always fails (a trigger) shares its lane with others: that lane's transaction fails,
   * its events are delivered one by one, so every other pot is credited exactly once and only the bad
   * pot's events are retried and parked.
   */
  @Test
  void aLaneBatchThatFailsFallsBackToOneEventAtATimeAndCreditsEveryOtherPotOnce() {
    List<UUID> pots = new ArrayList<>();
    for (int i = 0; i < 12; i++) pots.add(newPot());
    UUID bad = pots.get(0);
    sql("CREATE FUNCTION refuse_pot() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected: pot refused'; END $$;"
        + "CREATE TRIGGER refuse_pot BEFORE UPDATE OF raised_cfa ON pots.pots FOR EACH ROW WHEN (NEW.id = '" + bad + "') EXECUTE FUNCTION refuse_pot();");
    try {
      List<DomainEvent> events = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (UUID pot : pots) events.add(donationSucceeded(pot, 1_000));
      }
      Await.result(app.sql().withTransaction(tx -> Outbox.appendAll(tx, events)));   // one batch for the consumer
      Eventually.until("every other pot credited", () -> pots.stream().skip(1).allMatch(p -> raised(p) == 3_000));
      Eventually.until("the bad pot's events parked", () -> scalar("SELECT count(*) FROM platform.undelivered_events d JOIN platform.outbox o"
          + " ON o.event_id = d.event_id WHERE d.consumer = 'pot.funding' AND d.parked_at IS NOT NULL AND o.payload->>'pot_id' = '" + bad + "'") == 3);
      assertEquals(0, raised(bad));
      for (UUID pot : pots.subList(1, pots.size())) {
        assertEquals(3, scalar("SELECT count(*) FROM platform.outbox WHERE event_type = 'pot.credited' AND aggregate_id = '" + pot + "'"),
            "each credit once for " + pot);
      }
    } finally {
      sql("DROP TRIGGER refuse_pot ON pots.pots; DROP FUNCTION refuse_pot();");
    }
  }

  private static DomainEvent donationSucceeded(UUID pot, long amount) {
    return DomainEvent.of("donation.succeeded", "donation", UUID.randomUUID(), new JsonObject().put("pot_id", pot.toString())
        .put("donation_id", UUID.randomUUID().toString()).put("amount_cfa", amount).put("is_anonymous", true), Instant.now());
  }

  private static void append(DomainEvent e) {
    Await.result(app.sql().withTransaction(tx -> Outbox.append(tx, e)));
  }

  private static String phone() {
    return String.format("+22178%07d", PHONES.incrementAndGet());
  }

  private static UUID newPot() {
    return newPot(app);
  }

  private static UUID newPot(TestApp on) {
    String token = on.accounts().otpLogin(phone()).getString("access_token");
    var p = on.http().put("/v1/me/profile", new JsonObject().put("full_name", "Awa Diop").put("date_of_birth",
        java.time.LocalDate.now(java.time.ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString()), token);
    assertEquals(200, p.statusCode(), p.bodyAsString());
    var r = on.http().post("/v1/pots", new JsonObject().put("title", "Fête").put("target_amount_cfa", 1_000_000).put("visibility", "public"), token);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return UUID.fromString(r.bodyAsJsonObject().getString("id"));
  }

  private static long raised(UUID pot) {
    return scalar("SELECT raised_cfa FROM pots.pots WHERE id = '" + pot + "'");
  }

  private static long pending(UUID eventId) {
    return scalar("SELECT count(*) FROM platform.undelivered_events WHERE event_id = '" + eventId + "' AND consumer = 'pot.funding'");
  }

  private static long scalar(String query) {
    return count(app.sql(), query);
  }

  private static long count(io.vertx.sqlclient.Pool sql, String query) {
    return Await.result(sql.query(query).execute()).iterator().next().getLong(0);
  }

  private static void sql(String statements) {
    TestDatabases.execute(app.db(), statements);
  }
}
