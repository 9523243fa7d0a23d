package sn.wolo.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.postgresql.PGConnection;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Posts N batches of 100 events from C concurrent connections to {@code POST /v1/analytics/events}
 * (127.0.0.1, bounded), then, as the ceiling, COPYs the same number of rows into the same table of
 * the same database. Prints events/s, request p50/p99 and the ratio.
 *
 * <p>The server runs in a JVM of its own ({@link ServerProcess}), the load generator in this one.
 * Warm-up: rounds of 500 batches are posted first, unmeasured, until both JIT compilers settle
 * ({@link JitWarmup}; at most R rounds, {@code warmup=R}, default 30; {@code warmup=0} measures
 * cold JVMs).
 *
 * <p>Run: {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=sn.wolo.bench.AnalyticsBenchmark [-Dexec.args="2000 64 [warmup=30]"]}
 */
public final class AnalyticsBenchmark {

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int perBatch = 100;
    int warmup = JitWarmup.maxRounds(args, 30);
    System.out.printf("analytics benchmark: %,d batches × %d events, %d connections; warm-up at most %d rounds;"
        + " machine: %s%n", requests, perBatch, connections, warmup, BenchDatabase.machine());
    System.out.println("note: the server runs in a JVM of its own, the load generator in this one; PostgreSQL, both JVMs and the rest"
        + " share the machine (loopback only)");
    try (BenchDatabase db = BenchDatabase.start()) {
      int port = TestApp.freePort();
      Buffer[] bodies = new Buffer[Math.min(requests, 50)];
      for (int b = 0; b < bodies.length; b++) {
        JsonArray events = new JsonArray();
        for (int i = 0; i < perBatch; i++) {
          events.add(new JsonObject().put("event_name", "pot_viewed").put("event_category", "pot").put("anonymous_id", "dev-" + b + "-" + i)
              .put("session_id", "s-" + b).put("platform", "android").put("properties", new JsonObject().put("pot_id", UUID.randomUUID().toString())));
        }
        bodies[b] = Buffer.buffer(new JsonObject().put("events", events).encode());
      }
      int count;
      double eventsPerSecond;
      // one client IP sends everything here: lift the per-IP budget for the measurement
      try (ServerProcess server = ServerProcess.wolo("analytics-bench", Map.of("WOLO_DB_URL", db.settings.url(), "WOLO_HTTP_PORT",
          String.valueOf(port), "WOLO_DB_POOL_SIZE", "16", "WOLO_HTTP_RATE_LIMIT_PER_MINUTE", "100000000"))) {
        Vertx loader = Vertx.vertx();
        HttpClient client = loader.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(connections));
        IntFunction<HttpLoad.Request> batch = i -> new HttpLoad.Request(new RequestOptions()
            .setMethod(HttpMethod.POST).setURI("/v1/analytics/events").putHeader("Content-Type", "application/json")
            .putHeader("User-Agent", "wolo-app/1.0 (Android 13)"), bodies[i % bodies.length]);
        if (warmup > 0) JitWarmup.run("500 batches", warmup, server, round -> HttpLoad.run(loader, client, 500, connections, batch));
        CpuMeter before = CpuMeter.now(server);
        HttpLoad.Result ingest = HttpLoad.run(loader, client, requests, connections, batch);
        CpuMeter cpu = CpuMeter.now(server).since(before);
        count = ingest.count();
        eventsPerSecond = count * perBatch / ingest.seconds();
        System.out.printf("ingest:   %,d events in %.1f s = %,.0f events/s (%,.0f requests/s), p50 %.1f ms, p99 %.1f ms, non-2xx %d%n",
            count * perBatch, ingest.seconds(), eventsPerSecond, ingest.perSecond(), ingest.percentileMillis(0.5), ingest.percentileMillis(0.99),
            ingest.non2xx());
        System.out.printf("cpu:      %s%n", cpu.perThousand(count * (long) perBatch, "events"));
        server.printWarnings();
        client.close();
        Await.result(loader.close());
      }

      // Ceiling: COPY the same number of rows into the same table.
      int rows = count * perBatch;
      StringBuilder csv = new StringBuilder(rows * 120);
      String now = Instant.now().toString();
      for (int i = 0; i < rows; i++) {
        csv.append(UUID.randomUUID()).append(",pot_viewed,pot,dev-").append(i).append(",s-").append(i % 50)
            .append(",\"{\"\"pot_id\"\":\"\"").append(UUID.randomUUID()).append("\"\"}\",").append(now)
            .append(",127.0.0.1,wolo-app/1.0 (Android 13),android,mobile,Android,WOLO app\n");
      }
      try (Connection c = DriverManager.getConnection(db.settings.jdbcUrl(), db.settings.user(), db.settings.password())) {
        long c0 = System.nanoTime();
        long copied = c.unwrap(PGConnection.class).getCopyAPI().copyIn("""
            COPY analytics.analytics_events (id, event_name, event_category, anonymous_id, session_id, properties, "timestamp",
                ip_address, user_agent, platform, device_type, os, browser) FROM STDIN WITH (FORMAT csv)""", new StringReader(csv.toString()));
        double copySeconds = (System.nanoTime() - c0) / 1e9;
        System.out.printf("ceiling:  COPY of %,d rows into the same table in %.1f s = %,.0f rows/s%n", copied, copySeconds, copied / copySeconds);
        System.out.printf("ratio:    HTTP ingestion reaches %.0f %% of COPY%n", 100 * eventsPerSecond / (copied / copySeconds));
      }
    }
  }
}
