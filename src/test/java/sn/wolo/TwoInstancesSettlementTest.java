package sn.wolo;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.db.DatabaseSettings;
import sn.wolo.platform.wave.WaveSignature;
import sn.wolo.testing.ChildServer;
import sn.wolo.testing.TestDatabases;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, a second instance: two server processes on one database settle one burst of Wave
 * webhooks together — each instance's webhook processor claims batches, its pot-funding consumer
 * credits lanes of pots — while every event is also delivered to the other instance (Wave retries
 * land anywhere). Most donations go to one hot pot, so both instances' batches lock the same rows
 * at once. Nothing deadlocks into a lost or parked event, each donation succeeds and is credited
 * once, and the hot pot's {@code pot.credited} totals are exactly 1,000, 2,000, … — the credits were
 * serialised on the pot's row across instances.
 */
class TwoInstancesSettlementTest {

  private static final int DONATIONS = 600;
  private static final int POTS = 5;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void twoInstancesSettleAndCreditOneBurstExactlyOnce() throws Exception {
    DatabaseSettings db = TestDatabases.migrated();
    List<String> donations = seed(db);
    String secret = "wave_sn_WHS_two_instances_" + "s".repeat(40);
    Map<String, String> env = Map.of("WOLO_DB_URL", db.url(), "WOLO_WAVE_WEBHOOK_SECRET", secret,
        "WOLO_DONATION_WEBHOOK_SWEEP_MS", "200", "WOLO_EVENTS_POLL_MS", "100");
    try (ChildServer a = ChildServer.spawn("settle-a", env).awaitReady(Duration.ofSeconds(90));
         ChildServer b = ChildServer.spawn("settle-b", env).awaitReady(Duration.ofSeconds(90))) {
      ExecutorService senders = Executors.newFixedThreadPool(8);
      ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < DONATIONS; i++) {
        int n = i;
        // Each event to one instance, and again to the other with another event id (Wave's retry).
        sent.add(senders.submit(() -> {
          int first = deliver(n % 2 == 0 ? a : b, secret, "AE_two_" + n, n, donations.get(n));
          int second = deliver(n % 2 == 0 ? b : a, secret, "AE_two_retry_" + n, n, donations.get(n));
          if (first != 200 || second != 200) refused.add(n + ": " + first + "/" + second);
        }));
      }
      for (Future<?> f : sent) f.get(120, TimeUnit.SECONDS);
      senders.shutdown();
      assertEquals(List.of(), List.copyOf(refused), "every delivery acknowledged");

      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        while (scalar(c, "SELECT count(*) FROM donations.wave_webhook_events WHERE processed_at IS NULL")
            + scalar(c, "SELECT count(*) FROM platform.undelivered_events WHERE consumer = 'pot.funding'") > 0
            || scalar(c, "SELECT sum(raised_cfa) FROM pots.pots WHERE title = 'two'") < DONATIONS * 1_000L) {
          assertTrue(System.nanoTime() < deadline, "the burst was not settled and credited within 90 s");
          Thread.sleep(50);
        }
        assertEquals(DONATIONS, scalar(c, "SELECT count(*) FROM donations.donations WHERE status = 'succeeded'"));
        assertEquals(0, scalar(c, "SELECT count(*) FROM (SELECT aggregate_id FROM platform.outbox WHERE event_type = 'donation.succeeded'"
            + " GROUP BY aggregate_id HAVING count(*) > 1) d"), "a donation succeeded twice");
        assertEquals(DONATIONS, scalar(c, "SELECT count(*) FROM platform.outbox WHERE event_type = 'pot.credited'"), "one credit per donation");
        assertEquals(DONATIONS * 1_000L, scalar(c, "SELECT sum(raised_cfa) FROM pots.pots WHERE title = 'two'"));
        assertEquals(DONATIONS, scalar(c, "SELECT sum(succeeded_donations) FROM pots.pots WHERE title = 'two'"));
        assertEquals(0, scalar(c, "SELECT count(*) FROM platform.undelivered_events WHERE parked_at IS NOT NULL"), "nothing parked");

        String hot = text(c, "SELECT id::text FROM pots.pots WHERE title = 'two' ORDER BY succeeded_donations DESC LIMIT 1");
        List<Long> totals = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT (payload->>'raised_after_cfa')::bigint FROM platform.outbox"
            + " WHERE event_type = 'pot.credited' AND aggregate_id = '" + hot + "' ORDER BY 1")) {
          while (rs.next()) totals.add(rs.getLong(1));
        }
        assertEquals(LongStream.rangeClosed(1, totals.size()).map(k -> k * 1_000).boxed().toList(), totals,
            "each credit of the hot pot saw the one before it");
        assertTrue(totals.size() > DONATIONS / 2, "the hot pot took most donations");
      }
    }
  }

  /** Pots with owners, and pending donations of 1,000 XOF: 60 % on the first pot, the rest spread. */
  private static List<String> seed(DatabaseSettings db) throws SQLException {
    TestDatabases.execute(db, """
        INSERT INTO identity.users (id, email) SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'two-' || g || '@wolo.sn'
        FROM generate_series(1, %d) g;
        INSERT INTO pots.pots (id, owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status)
        SELECT ('10000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid,
               'two', 100000000, DATE '2031-01-01', TIMESTAMPTZ '2030-12-02T00:00:00Z', TIMESTAMPTZ '2031-01-01T00:00:00Z', 'open'
        FROM generate_series(1, %d) g;
        INSERT INTO donations.donations (pot_id, amount_cfa, status, wave_checkout_session_id)
        SELECT ('10000000-0000-4000-8000-' || lpad((CASE WHEN g %% 10 < 6 THEN 1 ELSE 2 + g %% %d END)::text, 12, '0'))::uuid,
               1000, 'pending', 'cos-two-' || g
        FROM generate_series(0, %d) g;""".formatted(POTS, POTS, POTS - 1, DONATIONS - 1));
    List<String> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         ResultSet rs = c.createStatement().executeQuery("SELECT id::text FROM donations.donations WHERE wave_checkout_session_id LIKE 'cos-two-%'"
             + " ORDER BY substring(wave_checkout_session_id from 9)::int")) {
      while (rs.next()) ids.add(rs.getString(1));
    }
    assertEquals(DONATIONS, ids.size());
    return ids;
  }

  private int deliver(ChildServer to, String secret, String eventId, int n, String donation) {
    byte[] body = new JsonObject().put("id", eventId).put("type", "checkout.session.completed")
        .put("data", new JsonObject().put("id", "cos-two-" + n).put("amount", "1000").put("currency", "XOF")
            .put("client_reference", donation).put("checkout_status", "complete").put("payment_status", "succeeded")
            .put("transaction_id", "TTWO" + n)).encode().getBytes(StandardCharsets.UTF_8);
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + "/v1/webhooks/wave"))
          .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
          .header("Wave-Signature", WaveSignature.header(secret, Instant.now().getEpochSecond(), body))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
