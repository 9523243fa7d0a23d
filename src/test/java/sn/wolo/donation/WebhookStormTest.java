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
import sn.wolo.platform.wave.WaveSignature;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A storm of signed Wave webhooks (20,000 deliveries by default, {@code -Dwolo.storm.deliveries}):
 * 30 % duplicates, and 10 % of the paid donations also get a late {@code payment_failed} after their
 * {@code completed}, everything shuffled and sent over 64 connections. Afterwards every donation's
 * state is the one Wave's history implies, every pot's total is exact, and each success was
 * announced once.
 */
class WebhookStormTest {

  private static final int DELIVERIES = Integer.getInteger("wolo.storm.deliveries", 20_000);
  private static final int POTS = 20;
  private static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("donation.webhook-sweep-ms", "200"), java.time.Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void everyFinalStateAndEveryPotTotalIsExact() {
    // donations × (1 + 0.08 late failures) × 1.3 duplicates ≈ DELIVERIES
    int donations = (int) Math.round(DELIVERIES / 1.3 / 1.08);
    UUID owner = UUID.randomUUID();
    Await.result(app.sql().preparedQuery("INSERT INTO identity.users (id, email) VALUES ($1, $2)").execute(Tuple.of(owner, owner + "@storm.sn")));
    List<UUID> pots = new ArrayList<>();
    for (int p = 0; p < POTS; p++) {
      pots.add(Await.result(app.sql().preparedQuery("""
          INSERT INTO pots.pots (owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status)
          VALUES ($1, 'storm', 10000000, DATE '2027-06-01' + $2::int, now(), (DATE '2027-06-01' + $2::int)::timestamp AT TIME ZONE 'Africa/Dakar',
                  'open') RETURNING id""")
          .execute(Tuple.of(owner, p))).iterator().next().getUUID(0));
    }
    Random random = new Random(42);
    Map<UUID, Long> expectedTotals = new HashMap<>();
    Map<UUID, String> expectedStatus = new HashMap<>();
    List<JsonObject> events = new ArrayList<>();
    List<Tuple> rows = new ArrayList<>();
    for (int i = 0; i < donations; i++) {
      UUID id = UUID.randomUUID();
      UUID pot = pots.get(i % POTS);
      int amount = 100 + random.nextInt(50) * 100;
      String session = "cos-storm-" + i;
      rows.add(Tuple.of(id, pot, amount, session));
      boolean paid = random.nextDouble() < 0.8;
      JsonObject data = new JsonObject().put("id", session).put("client_reference", id.toString()).put("amount", String.valueOf(amount))
          .put("currency", "XOF").put("transaction_id", "T_" + i);
      if (paid) {
        events.add(event("checkout.session.completed", data.copy().put("checkout_status", "complete").put("payment_status", "succeeded")));
        if (random.nextDouble() < 0.1) {
          events.add(event("checkout.session.payment_failed", data.copy().put("checkout_status", "expired").put("payment_status", "failed")));
        }
        expectedTotals.merge(pot, (long) amount, Long::sum);
        expectedStatus.put(id, "succeeded");
      } else {
        events.add(event("checkout.session.payment_failed", data.copy().put("checkout_status", "expired").put("payment_status", "failed")));
        expectedStatus.put(id, "failed");
      }
    }
    Await.result(app.sql().preparedQuery("INSERT INTO donations.donations (id, pot_id, amount_cfa, status, wave_checkout_session_id) VALUES ($1, $2, $3, 'pending', $4)")
        .executeBatch(rows), 120);
    List<JsonObject> deliveries = new ArrayList<>(events);
    for (JsonObject e : events) if (random.nextDouble() < 0.3) deliveries.add(e);   // duplicates
    Collections.shuffle(deliveries, random);                                        // any order, late failures included

    String secret = app.context().config().string("wave.webhook.secret");
    AtomicInteger next = new AtomicInteger();
    AtomicInteger non2xx = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < 64; lane++) lanes.add(sendNext(deliveries, next, secret, non2xx));
    Await.result(Future.all(lanes), 600);
    assertEquals(0, non2xx.get(), "every delivery acknowledged");
    assertTrue(deliveries.size() >= DELIVERIES * 0.9, deliveries.size() + " deliveries");

    long unique = events.size();
    awaitUntil(Duration.ofMinutes(5), () -> scalar("SELECT count(*) FROM donations.wave_webhook_events WHERE wave_event_id LIKE 'AE_storm_%' AND processed_at IS NOT NULL") == unique
        && scalar("SELECT count(*) FROM platform.outbox WHERE published_at IS NULL") == 0
        && scalar("SELECT count(*) FROM platform.undelivered_events WHERE consumer = 'pot.funding'") == 0);

    Map<UUID, String> actual = new HashMap<>();
    for (Row r : Await.result(app.sql().preparedQuery("SELECT id, status FROM donations.donations WHERE wave_checkout_session_id LIKE 'cos-storm-%'")
        .execute(), 60)) {
      actual.put(r.getUUID("id"), r.getString("status"));
    }
    assertEquals(expectedStatus, actual, "every donation in the state Wave's history implies");
    for (UUID pot : pots) {
      Row r = Await.result(app.sql().preparedQuery("SELECT raised_cfa FROM pots.pots WHERE id = $1").execute(Tuple.of(pot))).iterator().next();
      assertEquals(expectedTotals.getOrDefault(pot, 0L), r.getLong("raised_cfa"), "pot total exact");
    }
    long succeeded = expectedStatus.values().stream().filter("succeeded"::equals).count();
    assertEquals(succeeded, scalar("SELECT count(*) FROM platform.outbox o JOIN donations.donations d ON d.id::text = o.aggregate_id "
        + "WHERE o.event_type = 'donation.succeeded' AND d.wave_checkout_session_id LIKE 'cos-storm-%'"), "each success announced once");
  }

  private static final AtomicInteger EVENT_IDS = new AtomicInteger();

  private static JsonObject event(String type, JsonObject data) {
    return new JsonObject().put("id", "AE_storm_" + EVENT_IDS.incrementAndGet()).put("type", type).put("data", data);
  }

  /** One connection's worth of sequential sends, until the list is exhausted. */
  private static Future<Void> sendNext(List<JsonObject> deliveries, AtomicInteger next, String secret, AtomicInteger non2xx) {
    int i = next.getAndIncrement();
    if (i >= deliveries.size()) return Future.succeededFuture();
    byte[] body = deliveries.get(i).encode().getBytes(StandardCharsets.UTF_8);
    return app.client().post("/v1/webhooks/wave").putHeader("Content-Type", "application/json")
        .putHeader("Wave-Signature", WaveSignature.header(secret, Instant.now().getEpochSecond(), body))
        .sendBuffer(Buffer.buffer(body))
        .map(HttpResponse::statusCode)
        .otherwise(-1)
        .compose(status -> {
          if (status != 200) non2xx.incrementAndGet();
          return sendNext(deliveries, next, secret, non2xx);
        });
  }

  private static long scalar(String sql) {
    return Await.result(app.sql().query(sql).execute(), 60).iterator().next().getLong(0);
  }

  private static void awaitUntil(Duration timeout, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("the storm was not fully applied within " + timeout);
      Thread.onSpinWait();
    }
  }
}
