package sn.wolo.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import io.vertx.pgclient.PgBuilder;
import sn.wolo.platform.wave.WaveSignature;
import sn.wolo.platform.wave.WaveSimulator;
import sn.wolo.testing.Await;
import sn.wolo.testing.OpenPots;
import sn.wolo.testing.TestApp;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Fires N signed Wave webhook deliveries (30 % duplicates) from C concurrent connections at a
 * running server (127.0.0.1 only, bounded in count and time), after the same load at a trivial
 * endpoint of the same server ({@code /health/live}) as the ceiling. The donations are spread over P
 * pots (1: one hot pot). Prints deliveries/s, p50/p99, non-2xx, rows stored vs unique events, the time
 * from the end of the burst until every stored event is applied and every pot credited, the end-to-end
 * rate (deliveries / (burst + that time)), when the last message (a guest donor's thank-you) was
 * handed to its channel, double-credited donations (must be 0) and whether the pots' totals are exact.
 *
 * <p>WOLO and the peer each run in a JVM of their own ({@link ServerProcess}, as in production), the
 * load generator in this one; CPU is reported for each apart.
 *
 * <p>Warm-up: before anything is measured, rounds of 5,000 deliveries of other donations (other
 * pots) run through WOLO, each until every consumer is done, until the JIT compiler settles
 * ({@link JitWarmup}; at most R rounds, {@code warmup=R}, default 6; {@code warmup=0} measures cold
 * JVMs); the peer is warmed up the same way. {@code nopeer} leaves the peer out: two versions of WOLO
 * compared run after run.
 *
 * <p>Run: {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=sn.wolo.bench.WebhookBenchmark [-Dexec.args="100000 256 1000 [warmup=6] [nopeer]"]}
 */
public final class WebhookBenchmark {

  private static final String SECRET = "wave_sn_WHS_benchmark";
  private static final String WAVE_API_KEY = "wave_sn_bench_simulator_key";
  private static final int WARMUP_DELIVERIES = 5_000;
  private static final int WARMUP_UNIQUE = 3_500;
  /** Messages queued and not yet handed to their channel (owners' digests wait for their hour: not counted). */
  private static final String UNSENT_MESSAGES =
      "(SELECT count(*) FROM notifications.notifications WHERE status = 'pending' AND dedupe_key NOT LIKE 'digest:%')";

  public static void main(String[] args) throws Exception {
    try {
      measure(args);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);   // the server's threads would keep the JVM alive: the benchmark stops by itself
    }
  }

  private static void measure(String[] args) throws Exception {
    int deliveries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int pots = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int unique = (int) Math.round(deliveries * 0.7);
    int warmup = JitWarmup.maxRounds(args, 6);
    // "nopeer": WOLO alone, for comparing two versions of WOLO run after run (the peer takes half the run's time).
    boolean withPeer = !java.util.Arrays.asList(args).contains("nopeer");
    System.out.printf("webhook benchmark: %,d deliveries (%,d unique events, 30 %% duplicates), %d connections, %,d pots;"
        + " warm-up at most %d rounds; machine: %s%n", deliveries, unique, connections, pots, warmup, BenchDatabase.machine());
    System.out.println("note: WOLO and the peer each run in a JVM of their own, the load generator in this one;"
        + " PostgreSQL, the JVMs and the rest share the machine (loopback only)");
    Vertx loader = Vertx.vertx();
    try (BenchDatabase db = BenchDatabase.start()) {
      Pool pool = PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(4)).connectingTo(db.settings.connectOptions())
          .using(loader).build();
      List<Buffer> bodies = deliveries("bench", seedDonations(pool, unique, pots, "bench"), deliveries, unique);
      List<Buffer> peerBodies = withPeer ? deliveries("peer", seedDonations(pool, unique, pots, "peer"), deliveries, unique) : List.of();
      List<List<Buffer>> peerWarmRounds = new ArrayList<>();
      for (int r = 0; withPeer && r < warmup; r++) peerWarmRounds.add(warmupRound(pool, "peerwarm" + r, pots));
      int port = TestApp.freePort();
      // WOLO calls no Wave API while settling; a simulator stands at the Wave URL all the same (in this JVM: Wave's work is not ours).
      WaveSimulator wave = new WaveSimulator(WAVE_API_KEY, SECRET, "http://127.0.0.1:" + port + "/v1/webhooks/wave", Clock.systemUTC());
      Await.result(wave.start(loader, 0));
      Figures wolo;
      try (ServerProcess server = ServerProcess.wolo("webhook-bench", Map.of("WOLO_DB_URL", db.settings.url(), "WOLO_HTTP_PORT", String.valueOf(port),
          "WOLO_WAVE_WEBHOOK_SECRET", SECRET, "WOLO_WAVE_BASE_URL", wave.baseUrl(), "WOLO_WAVE_API_KEY", WAVE_API_KEY, "WOLO_DB_POOL_SIZE", "16"))) {
        HttpClient client = loader.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
            .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections));
        if (warmup > 0) {
          JitWarmup.run("5,000 deliveries, until every consumer is done", warmup, server, r -> {
            run(loader, client, warmupRound(pool, "warm" + r, pots), connections, true);
            awaitIdle(pool);
          });
        }
        wolo = measureWolo(server, loader, client, pool, bodies, connections, unique);
        client.close();
      }
      if (withPeer) measurePeer(db, pool, loader, peerWarmRounds, peerBodies, connections, unique, wolo);
      else System.out.println("peer:     not measured (nopeer)");
      Await.result(pool.close());
    } finally {
      Await.result(loader.close());
    }
  }

  /** The burst at WOLO, then the drain until every consumer is done and every message sent; prints the figures and the checks. */
  /** WOLO's intake and its end-to-end rate (deliveries / (burst + drain)), for the comparison with the peer. */
  private record Figures(HttpLoad.Result intake, double endToEnd) {
  }

  private static Figures measureWolo(ServerProcess server, Vertx loader, HttpClient client, Pool pool, List<Buffer> bodies, int connections,
      int unique) throws InterruptedException {
    // The measured pots by id: summing them by title read every pot of every warm-up round (a scan
    // of 40,000 rows, 31 ms a poll, every 20 ms of the drain it measures).
    UUID[] benchPots = Await.result(pool.query("SELECT array_agg(id) FROM pots.pots WHERE title = 'bench'").execute()).iterator().next()
        .getArrayOfUUIDs(0);
    long sentBefore = sentMessages(pool);
    HttpLoad.Result trivial = run(loader, client, bodies, connections, false);
    CpuMeter cpuAtStart = CpuMeter.now(server);
    WalMeter walAtStart = WalMeter.now(pool);
    HttpLoad.Result hooks = run(loader, client, bodies, connections, true);
    long burstEnd = System.nanoTime();

    long stored = Await.result(pool.query("SELECT count(*) FROM donations.wave_webhook_events WHERE wave_event_id LIKE 'AE\\_bench\\_%'").execute())
        .iterator().next().getLong(0);
    // Settled: every stored webhook event processed. Credited: the pots' totals hold every success
    // (1,000 XOF each). Applied: besides, every outbox event published and every consumer's delivery
    // done (notifications, analytics, points) — nothing of the burst left to do.
    long deadline = burstEnd + 300_000_000_000L;
    long pending;
    long credited;
    long backlog;
    long settledAt = 0;
    long creditedAt = 0;
    // When each consumer (and the outbox relay) last had work left: which one the drain waits for.
    Map<String, Long> lastBusy = new java.util.TreeMap<>();
    do {
      io.vertx.sqlclient.Row r = Await.result(pool.preparedQuery("SELECT (SELECT count(*) FROM donations.wave_webhook_events WHERE processed_at IS NULL),"
          + " (SELECT coalesce(sum(raised_cfa), 0) FROM pots.pots WHERE id = ANY($1::uuid[])),"
          + " (SELECT count(*) FROM platform.outbox WHERE published_at IS NULL),"
          + " (SELECT coalesce(array_agg(consumer), '{}') FROM (" + BUSY_CONSUMERS + ") c)")
          .execute(Tuple.of((Object) benchPots))).iterator().next();
      pending = r.getLong(0);
      credited = r.getLong(1);
      String[] busy = r.getArrayOfStrings(3);
      backlog = r.getLong(2) + busy.length;
      long now = System.nanoTime();
      if (r.getLong(2) > 0) lastBusy.put("(outbox relay)", now);
      for (String consumer : busy) lastBusy.put(consumer, now);
      if (pending == 0 && settledAt == 0) settledAt = System.nanoTime();
      if (credited == unique * 1000L && creditedAt == 0) creditedAt = System.nanoTime();
      if (pending > 0 || credited < unique * 1000L || backlog > 0) Thread.sleep(20);   // pacing: the poll must not compete with the server
    } while ((pending > 0 || credited < unique * 1000L || backlog > 0) && System.nanoTime() < deadline);
    double drainSeconds = (System.nanoTime() - burstEnd) / 1e9;
    CpuMeter cpu = CpuMeter.now(server).since(cpuAtStart);
    WalMeter wal = WalMeter.now(pool).since(walAtStart);
    // Then the messages themselves (the donors' thank-yous; owners' digests wait for 19:00): queued
    // durably is what "applied" means, handed to the SMS provider is what a donor notices.
    long unsent;
    do {
      unsent = Await.result(pool.query("SELECT " + UNSENT_MESSAGES).execute()).iterator().next().getLong(0);
      if (unsent > 0) Thread.sleep(50);
    } while (unsent > 0 && System.nanoTime() < deadline);
    double sentSeconds = (System.nanoTime() - burstEnd) / 1e9;
    long messages = sentMessages(pool) - sentBefore;
    long parked = Await.result(pool.query("SELECT count(*) FROM platform.undelivered_events WHERE parked_at IS NOT NULL").execute())
        .iterator().next().getLong(0);
    long succeeded = Await.result(pool.query("SELECT count(*) FROM donations.donations WHERE status = 'succeeded'"
        + " AND wave_checkout_session_id LIKE 'cos-bench-%'").execute()).iterator().next().getLong(0);
    long doubles = Await.result(pool.query("""
        SELECT count(*) FROM (SELECT aggregate_id FROM platform.outbox WHERE event_type = 'donation.succeeded'
                              GROUP BY aggregate_id HAVING count(*) > 1) d""").execute()).iterator().next().getLong(0);

    trivial.print("ceiling (/health/live)");
    hooks.print("webhooks");
    System.out.printf("ratio:    webhooks reach %.0f %% of the trivial endpoint's throughput%n", 100.0 * hooks.perSecond() / trivial.perSecond());
    System.out.printf("stored:   %,d rows for %,d unique events (%,d deliveries); unprocessed after the run: %,d%n",
        stored, unique, bodies.size(), pending);
    double endToEnd = hooks.count() / (hooks.seconds() + drainSeconds);
    System.out.printf("settled:  every stored event settled (donations, outbox) %.1f s after the burst%n",
        settledAt == 0 ? Double.NaN : (settledAt - burstEnd) / 1e9);
    System.out.printf("credited: every pot credited %.1f s after the burst%n", creditedAt == 0 ? Double.NaN : (creditedAt - burstEnd) / 1e9);
    System.out.printf("applied:  every event applied by every consumer %.1f s after the burst (backlog left: %,d, parked: %,d);"
        + " end to end %,.0f deliveries/s (%.0f %% of the intake rate)%n", drainSeconds, backlog, parked, endToEnd,
        100.0 * endToEnd / hooks.perSecond());
    lastBusy.forEach((consumer, at) -> System.out.printf("          %-28s done %.1f s after the burst%n", consumer, Math.max(0, at - burstEnd) / 1e9));
    System.out.printf("sent:     %,d messages handed to their channel (sandbox), the last %.1f s after the burst (left: %,d)%n",
        messages, sentSeconds, unsent);
    System.out.printf("cpu:      %s%n", cpu.perThousand(hooks.count(), "deliveries, burst and drain"));
    System.out.printf("wal:      %s%n", wal.perUnit(hooks.count(), "delivery, burst and drain"));
    System.out.printf("checked:  %,d donations succeeded of %,d; double-credited donations: %d; pots' totals %s (%,d XOF of %,d)%n",
        succeeded, unique, doubles, credited == unique * 1000L ? "exact" : "WRONG", credited, unique * 1000L);
    server.printWarnings();
    return new Figures(hooks, endToEnd);
  }

  /**
   * The conventional peer ({@link ConventionalPeer}) under the same load, on the same database once
   * WOLO has stopped: it answers after settling and crediting, so its end to end is its intake.
   */
  private static void measurePeer(BenchDatabase db, Pool pool, Vertx loader, List<List<Buffer>> warmupRounds, List<Buffer> bodies,
      int connections, int unique, Figures wolo) throws Exception {
    try (ServerProcess peer = ServerProcess.start("peer", ConventionalPeer.class.getName(), List.of("256", "32"), Map.of("WOLO_DB_URL",
        db.settings.url(), "WOLO_WAVE_WEBHOOK_SECRET", SECRET), List.of())) {
      HttpClient client = loader.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(peer.port())
          .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections));
      if (!warmupRounds.isEmpty()) {
        JitWarmup.run("5,000 deliveries at the peer", warmupRounds.size(), peer, r -> run(loader, client, warmupRounds.get(r), connections, true));
      }
      CpuMeter before = CpuMeter.now(peer);
      WalMeter walBefore = WalMeter.now(pool);
      HttpLoad.Result result = run(loader, client, bodies, connections, true);
      CpuMeter cpu = CpuMeter.now(peer).since(before);
      WalMeter wal = WalMeter.now(pool).since(walBefore);
      client.close();
      long credited;
      try (var c = java.sql.DriverManager.getConnection(db.settings.jdbcUrl(), db.settings.user(), db.settings.password());
           var rs = c.createStatement().executeQuery("SELECT coalesce(sum(raised_cfa), 0) FROM pots.pots WHERE title = 'peer'")) {
        rs.next();
        credited = rs.getLong(1);
      }
      result.print("peer");
      System.out.printf("peer:     conventional (thread per request: 256 threads, JDBC pool of 32, one transaction per delivery storing,"
          + " settling and crediting before the answer); pots' totals %s when the burst ends (%,d XOF of %,d)%n",
          credited == unique * 1000L ? "exact" : "NOT complete", credited, unique * 1000L);
      System.out.printf("peer cpu: %s%n", cpu.perThousand(result.count(), "deliveries"));
      System.out.printf("peer wal: %s%n", wal.perUnit(result.count(), "delivery"));
      System.out.printf("vs peer:  WOLO's intake is %.1f × the peer's, WOLO's end to end %.1f × (the peer's end to end is its intake)%n",
          wolo.intake().perSecond() / result.perSecond(), wolo.endToEnd() / result.perSecond());
    }
  }

  /** One completed event per donation, 30 % of them sent twice, shuffled. */
  private static List<Buffer> deliveries(String label, List<UUID> donations, int deliveries, int unique) {
    List<Buffer> bodies = new ArrayList<>(deliveries);
    for (int i = 0; i < deliveries; i++) {
      int e = i < unique ? i : new Random(i).nextInt(unique);
      bodies.add(Buffer.buffer(event(label, e, donations.get(e)).encode()));
    }
    java.util.Collections.shuffle(bodies, new Random(42));
    return bodies;
  }

  /** 5,000 deliveries (30 % duplicates) of new donations on new pots. */
  private static List<Buffer> warmupRound(Pool pool, String label, int pots) {
    return deliveries(label, seedDonations(pool, WARMUP_UNIQUE, pots, label), WARMUP_DELIVERIES, WARMUP_UNIQUE);
  }

  // Consumers with work left: a retry row, or an event of their types after their cursor — asked of
  // the types' heads (V32) as the consumers' own lease does, without counting or reading the outbox:
  // the drain is polled every 20 ms while the server works.
  private static final String BUSY_CONSUMERS = """
      SELECT consumer FROM platform.event_deliveries WHERE parked_at IS NULL
      UNION
      SELECT c.consumer FROM platform.event_cursors c WHERE EXISTS (SELECT 1 FROM platform.outbox_type_heads h
        JOIN platform.event_subscriptions s ON s.consumer = c.consumer AND s.event_type = h.event_type
        WHERE (h.relay_batch, h.outbox_id) > (c.relay_batch, c.outbox_id))""";

  /** After the warm-up: nothing left to settle, publish, deliver or send (bounded: 300 s). */
  private static void awaitIdle(Pool pool) {
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (System.nanoTime() < deadline && Await.result(pool.query("""
        SELECT (SELECT count(*) FROM donations.wave_webhook_events WHERE processed_at IS NULL)
             + (SELECT count(*) FROM platform.outbox WHERE published_at IS NULL)
             + (SELECT count(*) FROM (""" + BUSY_CONSUMERS + """
             ) busy) + """ + UNSENT_MESSAGES)
        .execute()).iterator().next().getLong(0) > 0) {
      try {
        Thread.sleep(50);   // pacing the poll
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the warm-up to drain", e);
      }
    }
  }

  private static long sentMessages(Pool pool) {
    return Await.result(pool.query("SELECT count(*) FROM notifications.notifications WHERE status = 'sent'").execute()).iterator().next().getLong(0);
  }

  private static HttpLoad.Result run(Vertx loader, HttpClient client, List<Buffer> bodies, int connections, boolean webhooks) {
    return HttpLoad.run(loader, client, bodies.size(), connections, i -> webhooks
        ? new HttpLoad.Request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/webhooks/wave").putHeader("Content-Type", "application/json")
            .putHeader("Wave-Signature", WaveSignature.header(SECRET, System.currentTimeMillis() / 1000, bodies.get(i).getBytes())), bodies.get(i))
        : new HttpLoad.Request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/health/live"), null));
  }

  private static JsonObject event(String label, int n, UUID donation) {
    return new JsonObject().put("id", "AE_" + label + "_" + n).put("type", "checkout.session.completed")
        .put("data", new JsonObject().put("id", "cos-" + label + "-" + n).put("amount", "1000").put("currency", "XOF")
            .put("client_reference", donation.toString()).put("checkout_status", "complete").put("payment_status", "succeeded")
            .put("transaction_id", "T" + label.toUpperCase(java.util.Locale.ROOT) + "-" + n));
  }

  /** Pending donations spread over new pots; every other one by a guest who left a phone (thanked by SMS once paid). */
  private static List<UUID> seedDonations(Pool pool, int n, int pots, String label) {
    UUID[] potIds = OpenPots.open(pool, pots, label);
    List<UUID> ids = Await.result(pool.preparedQuery("""
        INSERT INTO donations.donations (pot_id, amount_cfa, status, wave_checkout_session_id, donor_phone)
        SELECT ($1::uuid[])[1 + (g - 1) % cardinality($1::uuid[])], 1000, 'pending', 'cos-' || $3::text || '-' || (g - 1),
               CASE WHEN g % 2 = 0 THEN '+22177' || lpad(g::text, 7, '0') END
        FROM generate_series(1, $2) g ORDER BY g RETURNING id, wave_checkout_session_id""")
        .execute(Tuple.tuple().addValue(potIds).addInteger(n).addString(label)), 600).stream()
        .sorted(java.util.Comparator.comparingInt(r -> Integer.parseInt(r.getString(1).substring(("cos-" + label + "-").length()))))
        .map(r -> r.getUUID(0)).toList();
    return ids;
  }
}
