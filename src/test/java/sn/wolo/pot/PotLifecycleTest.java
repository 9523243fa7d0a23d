package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.events.EventConsumer;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.db.Pools;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.scheduling.DueWorkSweeper;
import sn.wolo.testing.Accounts;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sn.wolo.testing.Http.errorCode;

/** The pot lifecycle driven by an injectable clock and the sweeps, against real PostgreSQL. */
class PotLifecycleTest {

  /** 2027-01-10 12:00 Dakar (= UTC): a birthday on 11 March is 60 days away. */
  private static final Instant START = Instant.parse("2027-01-10T12:00:00Z");
  private static final AtomicInteger PHONES = new AtomicInteger(3000);
  private static MutableClock clock;
  private static TestApp app;
  private static Http http;
  private static Accounts accounts;

  @BeforeAll
  static void start() {
    clock = new MutableClock(START);
    // Long sweep period: the tests trigger sweeps themselves, the timer must not race them.
    app = TestApp.start(Map.of("pot.sweep-ms", "3600000"), clock);
    http = app.http();
    accounts = app.accounts();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** A user with a profile born on {@code dob}; returns the access token. */
  static String owner(String dob) {
    JsonObject login = accounts.otpLogin(String.format("+22170%07d", PHONES.incrementAndGet()));
    var p = http.put("/v1/me/profile", new JsonObject().put("full_name", "Awa Diop").put("date_of_birth", dob),
        login.getString("access_token"));
    assertEquals(200, p.statusCode(), p.bodyAsString());
    return login.getString("access_token");
  }

  static JsonObject createPot(String token, int target) {
    var r = http.post("/v1/pots", new JsonObject().put("title", "Mes 37 ans").put("target_amount_cfa", target)
        .put("visibility", "public"), token);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static JsonObject sweep() {
    return Await.result(Bus.call(app.vertx(), PotVerticle.address("sweep"), new JsonObject()));
  }

  static String status(String token, String potId) {
    return http.get("/v1/pots/" + potId, token).bodyAsJsonObject().getString("status");
  }

  static long events(String type, String potId) {
    return Await.result(app.sql().preparedQuery("SELECT count(*) FROM platform.outbox WHERE event_type = $1 AND aggregate_id = $2")
        .execute(Tuple.of(type, potId))).iterator().next().getLong(0);
  }

  @Test
  void aPotCreated60DaysAheadOpensAtJMinus30MidnightDakarAndClosesAtTheBirthday() {
    clock.set(START);
    String token = owner("1990-03-11");
    JsonObject pot = createPot(token, 50_000);
    String id = pot.getString("id");
    assertEquals("scheduled", pot.getString("status"));
    assertEquals("2027-03-11", pot.getString("birthday_date"));
    assertEquals("2027-02-09T00:00:00Z", pot.getString("scheduled_open_at"));
    assertEquals("2027-03-11T00:00:00Z", pot.getString("closes_at"));

    clock.set(Instant.parse("2027-02-08T23:59:59Z"));
    sweep();
    assertEquals("scheduled", status(token, id));
    clock.set(Instant.parse("2027-02-09T00:00:00Z"));
    sweep();
    assertEquals("open", status(token, id));
    sweep();
    assertEquals(1, events("pot.opened", id), "one transition, one event, however often we sweep");

    clock.set(Instant.parse("2027-03-10T23:59:59Z"));
    sweep();
    assertEquals("open", status(token, id));
    clock.set(Instant.parse("2027-03-11T00:00:00Z"));
    sweep();
    assertEquals("expired", status(token, id), "nobody gave");
    assertEquals(1, events("pot.expired", id));
  }

  /** Issue 17: instances sweeping at the same moment claim disjoint pots — each opens once, with one event. */
  @Test
  void sweepersOfSeveralInstancesOpenEachPotExactlyOnce() {
    clock.set(START);
    String token = owner("1990-03-12");
    String ownerId = sn.wolo.testing.Jwts.claims(token).getString("sub");
    // 300 scheduled pots due to open (seeded: one owner may hold one live pot per birthday, so 300 birthdays).
    Await.result(app.sql().preparedQuery("""
        INSERT INTO pots.pots (owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status)
        SELECT $1, 'Concurrent', 10000, DATE '2040-01-01' + g, $2::timestamptz - interval '1 minute',
               (DATE '2040-01-01' + g)::timestamp AT TIME ZONE 'Africa/Dakar', 'scheduled'
        FROM generate_series(1, 300) g""").execute(Tuple.of(java.util.UUID.fromString(ownerId),
        java.time.OffsetDateTime.parse("2027-02-10T00:00:00Z"))));
    clock.set(Instant.parse("2027-02-10T00:00:00Z"));
    java.util.List<io.vertx.core.Future<JsonObject>> sweeps = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) sweeps.add(Bus.call(app.vertx(), PotVerticle.address("sweep"), new JsonObject()));
    Await.result(io.vertx.core.Future.join(new java.util.ArrayList<>(sweeps)), 60);
    sweep();   // whatever a bounded batch left
    long open = Await.result(app.sql().preparedQuery("SELECT count(*) FROM pots.pots WHERE owner_user_id = $1 AND title = 'Concurrent' AND status = 'open'")
        .execute(Tuple.of(java.util.UUID.fromString(ownerId)))).iterator().next().getLong(0);
    assertEquals(300, open);
    long duplicated = Await.result(app.sql().preparedQuery("""
        SELECT count(*) FROM (SELECT aggregate_id FROM platform.outbox o JOIN pots.pots p ON p.id::text = o.aggregate_id
          WHERE o.event_type = 'pot.opened' AND p.title = 'Concurrent' GROUP BY aggregate_id HAVING count(*) <> 1) d""")
        .execute()).iterator().next().getLong(0);
    assertEquals(0, duplicated, "every pot opened exactly once");

    // Issue 16: the owner reads them by keyset pages; 300 rows of one instant are ordered by id, none twice.
    java.util.Set<String> seen = new java.util.HashSet<>();
    String cursor = null;
    do {
      JsonObject page = http.get("/v1/me/pots?limit=100" + (cursor == null ? "" : "&cursor=" + cursor), token).bodyAsJsonObject();
      page.getJsonArray("items").forEach(o -> org.junit.jupiter.api.Assertions.assertTrue(seen.add(((JsonObject) o).getString("id")), "no pot twice"));
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertEquals(300, seen.size(), "every seeded pot once");
  }

  @Test
  void aPotCreated10DaysBeforeTheBirthdayOpensAtOnce() {
    clock.set(START);
    String token = owner("1985-01-20");
    JsonObject pot = createPot(token, 20_000);
    assertEquals("open", pot.getString("status"));
    assertEquals(1, events("pot.opened", pot.getString("id")));
    var again = http.post("/v1/pots", new JsonObject().put("title", "Encore").put("target_amount_cfa", 5000), token);
    assertEquals(409, again.statusCode());
    assertEquals("pot_already_exists", errorCode(again));
  }

  @Test
  void bornOn29FebruaryMeans28FebruaryIn2027() {
    clock.set(START);
    JsonObject pot = createPot(owner("2000-02-29"), 30_000);
    assertEquals("2027-02-28", pot.getString("birthday_date"));
    assertEquals("2027-02-28T00:00:00Z", pot.getString("closes_at"));
    assertEquals("2027-01-29T00:00:00Z", pot.getString("scheduled_open_at"));
  }

  @Test
  void aSweepAfterDowntimeCatchesUpBothTransitions() {
    clock.set(START);
    String token = owner("1979-04-01");
    String id = createPot(token, 10_000).getString("id");
    clock.set(Instant.parse("2027-04-05T08:00:00Z"));   // the server was down from J-80 to after the birthday
    sweep();
    assertEquals("expired", status(token, id));
    assertEquals(1, events("pot.opened", id));
    assertEquals(1, events("pot.expired", id));
  }

  @Test
  void donationsFundThePotOnceWhateverIsRedeliveredAndAFundedPotCloses() {
    clock.set(START);
    String token = owner("1992-01-25");
    String id = createPot(token, 10_000).getString("id");
    DomainEvent first = DomainEvent.of("donation.succeeded", "donation", UUID.randomUUID(),
        new JsonObject().put("pot_id", id).put("donation_id", UUID.randomUUID().toString()).put("amount_cfa", 6000), clock.instant());
    DomainEvent second = DomainEvent.of("donation.succeeded", "donation", UUID.randomUUID(),
        new JsonObject().put("pot_id", id).put("donation_id", UUID.randomUUID().toString()).put("amount_cfa", 5000), clock.instant());
    deliver(first);
    deliver(first);   // at-least-once: a redelivery
    JsonObject afterFirst = http.get("/v1/pots/" + id, token).bodyAsJsonObject();
    assertEquals(6000, afterFirst.getLong("raised_cfa"));
    assertEquals("open", afterFirst.getString("status"));
    deliver(second);
    deliver(second);
    JsonObject funded = http.get("/v1/pots/" + id, token).bodyAsJsonObject();
    assertEquals(11_000, funded.getLong("raised_cfa"));
    assertEquals(2, funded.getInteger("succeeded_donations"));
    assertEquals("funded", funded.getString("status"));
    assertEquals(1, events("pot.funded", id));

    clock.set(Instant.parse("2027-01-25T00:00:00Z"));
    sweep();
    assertEquals("closed", status(token, id), "a pot with donations closes rather than expires");
  }

  /** Issue 10: the birthday that dates a live pot is frozen (else an owner could hold several live pots). */
  @Test
  void theBirthdayCannotChangeWhileAPotIsLive() {
    clock.set(START);
    String token = owner("1993-02-14");
    createPot(token, 10_000);
    var moved = http.put("/v1/me/profile", new JsonObject().put("date_of_birth", "1993-03-20"), token);
    assertEquals(409, moved.statusCode(), moved.bodyAsString());
    assertEquals("birthday_locked", moved.bodyAsJsonObject().getJsonObject("error").getString("code"));
    var same = http.put("/v1/me/profile", new JsonObject().put("date_of_birth", "1993-02-14").put("full_name", "Awa N. Diop"), token);
    assertEquals(200, same.statusCode(), "other fields and the same birthday are fine: " + same.bodyAsString());
    var again = http.post("/v1/pots", new JsonObject().put("title", "Deux").put("target_amount_cfa", 5000), token);
    assertEquals(409, again.statusCode(), "still one live pot");
  }

  @Test
  void twoSweepersOver10000DuePotsMakeExactly10000TransitionsAndEvents() {
    clock.set(START);
    var sql = app.sql();
    UUID owner = UUID.randomUUID();
    Await.result(sql.preparedQuery("INSERT INTO identity.users (id, email) VALUES ($1, $2)").execute(Tuple.of(owner, owner + "@bulk.sn")));
    // 10,000 pots of different (fictional) birthdays, all due to open at START minus an hour.
    Await.result(sql.preparedQuery("""
        INSERT INTO pots.pots (owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status)
        SELECT $1, 'bulk', 1000, DATE '2027-02-01' + g, $2::timestamptz, (DATE '2027-02-01' + g)::timestamp AT TIME ZONE 'Africa/Dakar', 'scheduled'
        FROM generate_series(1, 10000) g""").execute(Tuple.of(owner, java.time.OffsetDateTime.parse("2027-01-10T11:00:00Z"))));

    var pool = Pools.create(app.vertx(), app.context().config());
    PotLifecycle lifecycle = new PotLifecycle(clock);
    var a = new DueWorkSweeper(app.vertx(), pool, "a", 250, lifecycle::openDue);
    var b = new DueWorkSweeper(app.vertx(), pool, "b", 250, lifecycle::openDue);
    int total = Await.result(Future.all(a.sweep(), b.sweep()), 120).<Integer>list().stream().mapToInt(Integer::intValue).sum();

    assertEquals(10_000, total);
    // The relay, analytics and notifications now react to 10,000 events in the background: allow time.
    Row r = Await.result(sql.preparedQuery("""
        SELECT (SELECT count(*) FROM pots.pots WHERE owner_user_id = $1 AND status = 'open') AS opened,
               (SELECT count(*) FROM platform.outbox o
                 WHERE o.event_type = 'pot.opened' AND o.payload ->> 'owner_user_id' = $1::text) AS events,
               (SELECT count(DISTINCT o.aggregate_id) FROM platform.outbox o
                 WHERE o.event_type = 'pot.opened' AND o.payload ->> 'owner_user_id' = $1::text) AS pots_with_event""")
        .execute(Tuple.of(owner)), 120).iterator().next();
    assertEquals(10_000, r.getLong("opened"));
    assertEquals(10_000, r.getLong("events"));
    assertEquals(10_000, r.getLong("pots_with_event"));
    Await.result(pool.close());
  }

  /**
   * The first call writes the event to the outbox (the relay fans it out to the pot's durable
   * consumer); a second call replays it — a delivery row written again, as a duplicate would be.
   * Either way, waits (bounded) until the consumer has taken it.
   */
  private static void deliver(DomainEvent e) {
    long inOutbox = Await.result(app.sql().preparedQuery("SELECT count(*) FROM platform.outbox WHERE event_id = $1")
        .execute(Tuple.of(e.eventId()))).iterator().next().getLong(0);
    if (inOutbox == 0) {
      Await.result(app.sql().withTransaction(tx -> Outbox.append(tx, e)));
    } else {
      Await.result(app.sql().preparedQuery("""
          INSERT INTO platform.event_deliveries (consumer, event_id, outbox_id)
          SELECT 'pot.funding', event_id, id FROM platform.outbox WHERE event_id = $1""").execute(Tuple.of(e.eventId())));
      app.vertx().eventBus().publish(EventConsumer.DELIVERIES_READY, null);
    }
    awaitApplied(e);
  }

  private static void awaitApplied(DomainEvent e) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      var r = Await.result(app.sql().preparedQuery("""
          SELECT (SELECT count(*) FROM platform.processed_events WHERE consumer = 'pot.funding' AND event_id = $1) AS applied,
                 (SELECT count(*) FROM platform.undelivered_events WHERE consumer = 'pot.funding' AND event_id = $1) AS pending""")
          .execute(Tuple.of(e.eventId()))).iterator().next();
      if (r.getLong("applied") == 1 && r.getLong("pending") == 0) return;
      Thread.onSpinWait();
    }
    throw new AssertionError("event not applied: " + e.type());
  }
}
