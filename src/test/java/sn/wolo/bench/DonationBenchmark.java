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
import sn.wolo.platform.wave.WaveSimulator;
import sn.wolo.testing.Await;
import sn.wolo.testing.OpenPots;
import sn.wolo.testing.TestApp;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Guest donation initiation ({@code POST /v1/pots/{id}/donations}: the pot's acceptance over the
 * bus, the fraud rules, the Wave checkout session at Wave's simulator, the stored donation) from
 * C connections, N requests spread over P open pots, after the same load at
 * {@code /health/live} of the same server as the reference. Every request is a different donor (its
 * phone, and its IP as the load balancer reports it in X-Forwarded-For), as a real burst of
 * donations is. The table is first filled with E existing donations, so that a figure says whether
 * initiation stays flat as the table grows.
 *
 * <p>The server runs in a JVM of its own ({@link ServerProcess}, as in production); the load generator
 * and Wave's simulator (Wave's work, not ours) run in this one. CPU is reported for each apart.
 *
 * <p>Fraud rules: ON at the shipped limits by default; {@code raised} lifts them (the thresholds
 * only: the rules still read their facts), to show the cost of the rules apart from refusals.
 *
 * <p>{@code wave-latency=MS}: the Wave simulator answers each measured call after MS milliseconds, as
 * Wave does over the Internet (default 0: at once) — what the backend's concurrency
 * towards Wave allows, apart from its CPU.
 *
 * <p>Warm-up: before anything is measured, rounds of 1,000 {@code /health/live} requests and 1,000
 * initiations (other donors, named "Warmup", on 1,000 pots of their own) run unmeasured until both JVMs'
 * JIT compilers settle ({@link JitWarmup}; at most R rounds, {@code warmup=R}, default 20;
 * {@code warmup=0} measures cold JVMs).
 *
 * <p>Run: {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=sn.wolo.bench.DonationBenchmark [-Dexec.args="20000 64 1000 1000000 [raised] [warmup=20] [wave-latency=MS]"]}
 */
public final class DonationBenchmark {

  private static final String MEASURED_DONOR = "Bench";
  private static final String WARMUP_DONOR = "Warmup";
  private static final int WARMUP_ROUND = 1_000;
  private static final String WAVE_API_KEY = "wave_sn_bench_simulator_key";
  private static final String WAVE_WEBHOOK_SECRET = "wave_sn_WHS_donation_benchmark_secret";

  public static void main(String[] args) {
    try {
      measure(args);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);   // the server's threads would keep the JVM alive: the benchmark stops by itself
  }

  private static void measure(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int pots = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int existing = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
    List<String> flags = args.length > 4 ? List.of(args).subList(4, args.length) : List.of();
    boolean raised = flags.contains("raised");
    int warmup = JitWarmup.maxRounds(args, 20);
    int waveLatencyMs = flags.stream().filter(f -> f.startsWith("wave-latency=")).findFirst()
        .map(f -> Integer.parseInt(f.substring("wave-latency=".length()))).orElse(0);
    System.out.printf("donation benchmark: %,d guest initiations, %d connections, %,d pots, %,d donations in the table before; fraud rules %s;"
        + " Wave answers after %d ms; warm-up at most %d rounds; machine: %s%n", requests, connections, pots, existing,
        raised ? "raised" : "ON at the shipped limits", waveLatencyMs, warmup, BenchDatabase.machine());
    System.out.println("note: the server runs in a JVM of its own; the load generator and Wave's simulator in this one;"
        + " PostgreSQL, both JVMs and the rest share the machine (loopback only)");
    Vertx loader = Vertx.vertx();
    try (BenchDatabase db = BenchDatabase.start()) {
      int port = TestApp.freePort();
      WaveSimulator wave = new WaveSimulator(WAVE_API_KEY, WAVE_WEBHOOK_SECRET, "http://127.0.0.1:" + port + "/v1/webhooks/wave", Clock.systemUTC());
      Await.result(wave.start(loader, 0));
      Map<String, String> env = new HashMap<>(Map.of("WOLO_DB_URL", db.settings.url(), "WOLO_HTTP_PORT", String.valueOf(port),
          "WOLO_DB_POOL_SIZE", "16", "WOLO_HTTP_TRUSTED_PROXIES", "127.0.0.1/32", "WOLO_WAVE_BASE_URL", wave.baseUrl(),
          "WOLO_WAVE_API_KEY", WAVE_API_KEY, "WOLO_WAVE_WEBHOOK_SECRET", WAVE_WEBHOOK_SECRET));
      if (raised) {
        env.putAll(Map.of("WOLO_DONATION_RISK_MAX_PER_PHONE_PER_HOUR", "1000", "WOLO_DONATION_RISK_MAX_PER_IP_PER_HOUR", "100000",
            "WOLO_DONATION_RISK_MAX_PER_POT_PER_10_MINUTES", "100000"));
      }
      Pool pool = PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(4)).connectingTo(db.settings.connectOptions()).using(loader).build();
      UUID[] potIds = OpenPots.open(pool, pots, "bench");
      seedExisting(pool, potIds, existing);
      // Refusals are logged at WARN: with the rules at their limits they are expected, not news.
      try (ServerProcess server = ServerProcess.wolo("donation-bench", env, "-Dbench.wolo.level=ERROR")) {
        HttpClient client = loader.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
            .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections));
        if (warmup > 0) {
          UUID[] warmupPots = OpenPots.open(pool, WARMUP_ROUND, "warmup");
          JitWarmup.run("1,000 health checks and 1,000 initiations", warmup, server, round -> {
            HttpLoad.run(loader, client, WARMUP_ROUND, connections,
                i -> new HttpLoad.Request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/health/live"), null));
            HttpLoad.run(loader, client, WARMUP_ROUND, connections,
                i -> initiation(WARMUP_DONOR, requests + round * WARMUP_ROUND + i, warmupPots[i]));
          });
        }
        HttpLoad.Result trivial = HttpLoad.run(loader, client, requests, connections,
            i -> new HttpLoad.Request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/health/live"), null));
        wave.answerAfter(java.time.Duration.ofMillis(waveLatencyMs));   // warm-up ran without it
        wave.resetMostCallsAtOnce();
        CpuMeter before = CpuMeter.now(server);
        HttpLoad.Result donations = HttpLoad.run(loader, client, requests, connections, i -> initiation(MEASURED_DONOR, i, potIds[i % potIds.length]));
        CpuMeter cpu = CpuMeter.now(server).since(before);

        long stored = Await.result(pool.query("SELECT count(*) FROM donations.donations WHERE donor_name = 'Bench'").execute())
            .iterator().next().getLong(0);
        long withSession = Await.result(pool.query("SELECT count(*) FROM donations.donations WHERE donor_name = 'Bench'"
            + " AND wave_checkout_session_id IS NOT NULL AND status = 'pending'").execute()).iterator().next().getLong(0);
        long rows = Await.result(pool.query("SELECT count(*) FROM donations.donations").execute()).iterator().next().getLong(0);
        trivial.print("reference (/health/live)");
        donations.print("initiate");
        System.out.printf("ratio:    initiation reaches %.0f %% of the trivial endpoint's throughput%n", 100 * donations.perSecond() / trivial.perSecond());
        System.out.printf("stored:   %,d donations for %,d answered 2xx (%,d pending with their Wave session); table now %,d rows%n", stored,
            donations.count() - donations.non2xx(), withSession, rows);
        System.out.printf("cpu:      %s%n", cpu.perThousand(donations.count(), "initiations"));
        System.out.printf("wave:     at most %d checkout calls in progress at once%n", wave.mostCallsAtOnce());
        server.printWarnings();
        client.close();
      }
      Await.result(pool.close());
    } finally {
      Await.result(loader.close());
    }
  }

  /**
   * A donor of its own: phone and IP (behind the trusted load balancer) differ for every request
   * (warm-up requests take the indexes after the measured ones).
   */
  private static HttpLoad.Request initiation(String donorName, int i, UUID pot) {
    String ip = "41." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
    JsonObject body = new JsonObject().put("amount_cfa", 5_000).put("donor_name", donorName)
        .put("donor_phone", String.format("+22177%07d", i)).put("message", "Joyeux anniversaire !");
    return new HttpLoad.Request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/pots/" + pot + "/donations")
        .putHeader("Content-Type", "application/json").putHeader("X-Forwarded-For", ip), Buffer.buffer(body.encode()));
  }

  /** Earlier donations, days old (outside every fraud window), most succeeded, spread over the pots. */
  private static void seedExisting(Pool pool, UUID[] pots, int n) {
    if (n == 0) return;
    long t0 = System.nanoTime();
    Await.result(pool.preparedQuery("""
        INSERT INTO donations.donations (pot_id, amount_cfa, status, donor_phone, ip_address, initiated_at, created_at, updated_at, confirmed_at)
        SELECT ($1::uuid[])[1 + g % cardinality($1::uuid[])], 1000 + g % 9000, CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'succeeded' END,
               '+22176' || lpad((g % 5000000)::text, 7, '0'), ('10.' || (g >> 16 & 255) || '.' || (g >> 8 & 255) || '.' || (g & 255))::inet,
               now() - interval '2 days' - g * interval '1 second', now() - interval '2 days', now() - interval '2 days',
               CASE WHEN g % 10 = 0 THEN NULL ELSE now() - interval '2 days' END
        FROM generate_series(1, $2) g""").execute(Tuple.of(pots, n)), 900);
    Await.result(pool.query("ANALYZE donations.donations").execute(), 300);
    System.out.printf("seeded:   %,d earlier donations in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
  }

}
