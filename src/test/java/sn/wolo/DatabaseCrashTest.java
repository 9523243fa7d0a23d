package sn.wolo;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.wave.WaveSignature;
import sn.wolo.testing.ChildServer;

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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
 * is stored exactly once.
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
      AtomicInteger otherFailures = new AtomicInteger();
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
            else otherFailures.incrementAndGet();
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
      assertEquals(0, otherFailures.get(), "only 200 or 503, nothing else");

      Matcher m = DB_PORT.matcher(server.output());
      assertTrue(m.find(), server.output());
      Set<String> stored = new HashSet<>();
      long rows;
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + m.group(1) + "/wolo", "postgres", "")) {
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
      Matcher m = DB_PORT.matcher(second.output());
      assertTrue(m.find(), second.output());
      Set<String> stored = new HashSet<>();
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + m.group(1) + "/wolo", "postgres", "");
           ResultSet rs = c.createStatement().executeQuery("SELECT wave_event_id FROM donations.wave_webhook_events WHERE wave_event_id LIKE 'AE_kill_%'")) {
        while (rs.next()) assertTrue(stored.add(rs.getString(1)), "stored once");
      }
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(stored);
      assertEquals(Set.of(), lost, "acknowledged deliveries lost (" + acknowledged.size() + " acknowledged)");
    }
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
