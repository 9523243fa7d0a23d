package sn.wolo;

import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.wave.WaveSignature;
import sn.wolo.testing.Await;
import sn.wolo.testing.ChildServer;
import sn.wolo.testing.OpenPots;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dev server's PostgreSQL (fsync and synchronous_commit on) killed with SIGKILL in the middle
 * of a burst of signed Wave webhooks: requests during the outage get 503 quickly, the server
 * restarts its database by itself (no process restart), and every delivery that was answered 200
 * is stored exactly once. Then the server itself killed mid-burst, of webhooks and of donation
 * initiations (both written by group commit): nothing answered is missing after a restart.
 */
class DatabaseCrashTest {

  private static final Pattern DB_PORT = Pattern.compile("embedded PostgreSQL started: postgresql://localhost:(\\d+)/wolo");
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void postgresKilledMidBurstLosesNoAcknowledgedDeliveryAndComesBackByItself() throws Exception {
    Path dataDir = Path.of("target", "tmp", "child", "pgdata-crash-" + System.nanoTime()).toAbsolutePath();
    String secret = "wave_sn_WHS_crash_test_" + "s".repeat(40);
    try (ChildServer server = ChildServer.spawn("db-crash", Map.of("WOLO_DATA_DIR", dataDir.toString(),
        "WOLO_WAVE_WEBHOOK_SECRET", secret)).awaitReady(Duration.ofSeconds(120))) {
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicInteger unavailable = new AtomicInteger();
      Map<Integer, AtomicInteger> otherFailures = new ConcurrentHashMap<>();   // status (-1: no answer) -> count
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService senders = Executors.newFixedThreadPool(8);
      long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        senders.submit(() -> {
          for (int n = 0; !stop.get() && System.nanoTime() < deadline; n++) {
            String id = "AE_crash_" + thread + "_" + n;
            int status = deliver(server.port(), secret, id);
            if (status == 200) acknowledged.add(id);
            else if (status == 503) unavailable.incrementAndGet();
            else otherFailures.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
          }
          return null;
        });
      }
      awaitCount(acknowledged, 300, deadline);
      long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
      int atKill = acknowledged.size();
      awaitTrue("an outage answered 503", () -> unavailable.get() > 0, deadline);
      awaitTrue("the server restarted its database and serves again", () -> acknowledged.size() >= atKill + 300, deadline);
      stop.set(true);
      senders.shutdown();
      assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS));
      assertTrue(server.output().contains("restarting it"), "the supervisor restarted PostgreSQL");
      assertEquals(Map.of(), otherFailures, () -> "only 200 or 503, nothing else; the server's errors:\n" + errorLines(server.output()));

      Set<String> stored = new HashSet<>();
      long rows;
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + databasePort(server) + "/wolo", "postgres", "")) {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT wave_event_id FROM donations.wave_webhook_events WHERE wave_event_id LIKE 'AE_crash_%'")) {
          while (rs.next()) stored.add(rs.getString(1));
        }
        try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM donations.wave_webhook_events WHERE wave_event_id LIKE 'AE_crash_%'")) {
          rs.next();
          rows = rs.getLong(1);
        }
      }
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(stored);
      assertEquals(Set.of(), lost, "acknowledged deliveries lost (" + acknowledged.size() + " acknowledged)");
      assertEquals(stored.size(), rows, "each stored once");
    }
  }

  /** The server itself killed with SIGKILL mid-burst: after the same command starts it again, every acknowledged delivery is there once. */
  @Test
  void serverKilledMidBurstLosesNoAcknowledgedDelivery() throws Exception {
    Path dataDir = Path.of("target", "tmp", "child", "pgdata-kill-" + System.nanoTime()).toAbsolutePath();
    String secret = "wave_sn_WHS_kill_test_" + "s".repeat(40);
    Map<String, String> env = Map.of("WOLO_DATA_DIR", dataDir.toString(), "WOLO_WAVE_WEBHOOK_SECRET", secret);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    ChildServer first = ChildServer.spawn("kill-burst", env).awaitReady(Duration.ofSeconds(120));
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService senders = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      int thread = t;
      senders.submit(() -> {
        for (int n = 0; !stop.get() && System.nanoTime() < deadline; n++) {
          String id = "AE_kill_" + thread + "_" + n;
          if (deliver(first.port(), secret, id) == 200) acknowledged.add(id);
        }
        return null;
      });
    }
    awaitCount(acknowledged, 400, deadline);
    first.kill9();
    stop.set(true);
    senders.shutdown();
    assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS));
    try (ChildServer second = ChildServer.spawn("after-kill-burst", env).awaitReady(Duration.ofSeconds(120))) {
      Set<String> stored = new HashSet<>();
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + databasePort(second) + "/wolo", "postgres", "");
           ResultSet rs = c.createStatement().executeQuery("SELECT wave_event_id FROM donations.wave_webhook_events WHERE wave_event_id LIKE 'AE_kill_%'")) {
        while (rs.next()) assertTrue(stored.add(rs.getString(1)), "stored once");
      }
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(stored);
      assertEquals(Set.of(), lost, "acknowledged deliveries lost (" + acknowledged.size() + " acknowledged)");
    }
  }

  /**
   * A burst of guest donations (initiations share one INSERT and commit) through two crashes: its
   * PostgreSQL killed (the donations of the lost commit must not have been answered 201; the
   * outage answers 503), then the server itself. After a restart every donation answered 201 is
   * stored once, and the pots' velocity counts, written by the same statement, add up to exactly
   * the donations stored.
   */
  @Test
  void serverKilledMidInitiationBurstLosesNoAnsweredDonation() throws Exception {
    Path dataDir = Path.of("target", "tmp", "child", "pgdata-initiations-" + System.nanoTime()).toAbsolutePath();
    Map<String, String> env = Map.of("WOLO_DATA_DIR", dataDir.toString(), "WOLO_HTTP_TRUSTED_PROXIES", "127.0.0.1/32",
        "WOLO_HTTP_RATE_LIMIT_PER_MINUTE", "1000000", "WOLO_DONATION_RISK_MAX_PER_POT_PER_10_MINUTES", "1000000");
    Set<String> answered = ConcurrentHashMap.newKeySet();
    Map<Integer, AtomicInteger> refused = new ConcurrentHashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    Vertx vertx = Vertx.vertx();
    try {
      ChildServer first = ChildServer.spawn("kill-initiations", env).awaitReady(Duration.ofSeconds(120));
      UUID[] pots = withDatabase(vertx, first, pool -> OpenPots.open(pool, 20, "crash-initiations"));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger donors = new AtomicInteger();
      ExecutorService senders = Executors.newFixedThreadPool(8);
      for (int t = 0; t < 8; t++) {
        senders.submit(() -> {
          while (!stop.get() && System.nanoTime() < deadline) {
            int donor = donors.incrementAndGet();
            String id = initiate(first.port(), pots[donor % pots.length], donor, refused);
            if (id != null) answered.add(id);
          }
          return null;
        });
      }
      awaitCount(answered, 200, deadline);
      long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
      int atKill = answered.size();
      awaitTrue("an outage answered 503", () -> refused.containsKey(503), deadline);
      awaitTrue("the database restarted and donations are answered again", () -> answered.size() >= atKill + 200, deadline);
      assertEquals(Set.of(503), refused.keySet(), "during the outage only 503: " + refused);
      first.kill9();
      stop.set(true);
      senders.shutdown();
      assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS));
      try (ChildServer second = ChildServer.spawn("after-kill-initiations", env).awaitReady(Duration.ofSeconds(120))) {
        withDatabase(vertx, second, pool -> {
          Map<String, Integer> stored = new HashMap<>();
          for (Row r : Await.result(pool.preparedQuery("SELECT id::text FROM donations.donations WHERE pot_id = ANY($1)").execute(Tuple.of((Object) pots)))) {
            stored.merge(r.getString(0), 1, Integer::sum);
          }
          Set<String> lost = new HashSet<>(answered);
          lost.removeAll(stored.keySet());
          assertEquals(Set.of(), lost, "answered donations lost (" + answered.size() + " answered, refusals " + refused + ")");
          assertTrue(stored.values().stream().allMatch(n -> n == 1), "each stored once");
          long counted = Await.result(pool.preparedQuery("SELECT coalesce(sum(initiations), 0) FROM donations.pot_initiation_counts WHERE pot_id = ANY($1)")
              .execute(Tuple.of((Object) pots))).iterator().next().getLong(0);
          assertEquals(stored.size(), counted, "the pots' velocity counts are the donations stored, no more, no fewer");
          return null;
        });
      }
    } finally {
      Await.result(vertx.close());
    }
  }

  /** The port of the child server's embedded PostgreSQL, as its log announced it. */
  private static String databasePort(ChildServer server) {
    Matcher m = DB_PORT.matcher(server.output());
    assertTrue(m.find(), server.output());
    return m.group(1);
  }

  /** Runs {@code work} with a pool on the child server's embedded PostgreSQL, closed afterwards. */
  private static <T> T withDatabase(Vertx vertx, ChildServer server, java.util.function.Function<Pool, T> work) {
    Pool pool = PgBuilder.pool().connectingTo("postgresql://postgres@localhost:" + databasePort(server) + "/wolo").using(vertx).build();
    try {
      return work.apply(pool);
    } finally {
      Await.result(pool.close());
    }
  }

  /** A guest donation from a donor of its own (phone, IP): its id when answered 201, null otherwise (counted by status). */
  private String initiate(int port, UUID pot, int donor, Map<Integer, AtomicInteger> refused) {
    String body = new JsonObject().put("amount_cfa", 2_000 + donor % 1_000).put("donor_name", "Awa")
        .put("donor_phone", String.format("+22177%07d", donor)).encode();
    String ip = "41." + (donor >> 16 & 255) + "." + (donor >> 8 & 255) + "." + (donor & 255);
    try {
      var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/pots/" + pot + "/donations"))
          .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json").header("X-Forwarded-For", ip)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 201) return new JsonObject(r.body()).getString("id");
      refused.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
    } catch (Exception e) {
      refused.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();   // no answer (the kill)
    }
    return null;
  }

  private int deliver(int port, String secret, String id) {
    String body = new JsonObject().put("id", id).put("type", "checkout.session.completed")
        .put("data", new JsonObject().put("client_reference", java.util.UUID.randomUUID().toString())).encode();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try {
      var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/webhooks/wave"))
          .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
          .header("Wave-Signature", WaveSignature.header(secret, Instant.now().getEpochSecond(), bytes))
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String errorLines(String output) {
    return output.lines().filter(l -> l.contains(" ERROR ") || l.contains("Exception")).limit(40).collect(java.util.stream.Collectors.joining("\n"));
  }

  private static void awaitCount(Set<String> set, int n, long deadline) {
    awaitTrue(n + " acknowledged", () -> set.size() >= n, deadline);
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition, long deadline) {
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
      Thread.onSpinWait();
    }
  }
}
