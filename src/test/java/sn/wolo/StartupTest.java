package sn.wolo;

import org.junit.jupiter.api.Test;
import sn.wolo.testing.ChildServer;
import sn.wolo.testing.TestDatabases;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server as a process: fail fast with one clear line, and come back after kill -9 with nothing lost. */
class StartupTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aBadSettingIsRefusedBeforeAnythingStarts() {
    try (ChildServer child = ChildServer.spawn("bad-port", Map.of("WOLO_HTTP_PORT", "abc"))) {
      Integer code = child.awaitExit(Duration.ofSeconds(30));
      assertNotNull(code, "exited by itself");
      assertEquals(2, code, child.output());
      assertTrue(child.output().contains("WOLO_HTTP_PORT must be an integer, got 'abc'"), child.output());
      assertFalse(child.output().contains("PostgreSQL started"), "nothing was started");
    }
  }

  @Test
  void aTakenPortEndsTheStartWithinSecondsNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Map<String, String> env = Map.of("WOLO_HTTP_PORT", String.valueOf(taken.getLocalPort()), "WOLO_DB_URL", TestDatabases.migrated().url());
      try (ChildServer child = ChildServer.spawn("taken-port", env)) {
        Integer code = child.awaitExit(Duration.ofSeconds(60));
        assertNotNull(code, "exited by itself instead of hanging:\n" + child.output());
        assertEquals(1, code, child.output());
        assertTrue(child.output().contains(taken.getLocalPort() + ": the port is already in use"), child.output());
        assertTrue(child.output().contains("set WOLO_HTTP_PORT"), child.output());
      }
    }
  }

  /**
   * The dev server (embedded PostgreSQL) killed with SIGKILL leaves its PostgreSQL running; the
   * same command starts again: the orphan is stopped, and what was acknowledged before the kill is there.
   */
  @Test
  void aDevServerKilledWithSigkillRestartsWithOneCommandAndLosesNothingAcknowledged() throws Exception {
    Path dataDir = Path.of("target", "tmp", "child", "pgdata-" + System.nanoTime()).toAbsolutePath();
    Map<String, String> env = Map.of("WOLO_DATA_DIR", dataDir.toString());
    String phone = "+221771110099";
    long orphan;
    try (ChildServer first = ChildServer.spawn("dev-first", env).awaitReady(Duration.ofSeconds(120))) {
      var requested = post(first.port(), "/v1/auth/otp/request", "{\"phone\":\"" + phone + "\"}");
      assertEquals(202, requested.statusCode(), requested.body());
      first.kill9();
      orphan = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
      assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "PostgreSQL outlived the killed server");
    }
    try (ChildServer second = ChildServer.spawn("dev-second", env).awaitReady(Duration.ofSeconds(120))) {
      assertTrue(second.output().contains("left running by a killed WOLO server (pid " + orphan + ")"), second.output());
      assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the orphan was stopped");
      long now = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
      assertNotEquals(orphan, now);
      var messages = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port() + "/v1/dev/messages?recipient="
          + URLEncoder.encode(phone, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, messages.statusCode());
      assertTrue(messages.body().contains("WOLO"), "the code acknowledged before the kill is still stored: " + messages.body());
    }
  }

  private static HttpResponse<String> post(int port, String path, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
