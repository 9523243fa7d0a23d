package sn.wolo.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The child server's harness: a port chosen free that is taken before the child binds it does not fail the test that started it. */
class ChildServerTest {

  @Test
  void aChildThatFindsItsChosenPortTakenStartsAgainOnAnother(@TempDir Path dir) throws Exception {
    // The first start behaves as the server does when its port was taken meanwhile (it names the
    // port and exits 1); the second is the real server.
    Path firstStartDone = dir.resolve("first-start-done");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String server = String.join(" ", "exec", java, "-Xmx512m", "-Duser.home=" + dir, "-Djava.io.tmpdir=" + dir,
        "-cp", "'" + System.getProperty("java.class.path") + "'", "sn.wolo.Wolo");
    String script = "if [ ! -e '" + firstStartDone + "' ]; then touch '" + firstStartDone + "';"
        + " echo \"$WOLO_HTTP_PORT: the port is already in use (set WOLO_HTTP_PORT)\"; exit 1; fi; " + server;
    Map<String, String> env = Map.of("WOLO_DB_URL", TestDatabases.migrated().url(), "WOLO_HTTP_HOST", "127.0.0.1",
        "WOLO_WAVE_SIMULATOR_PORT", "0", "WOLO_SECURITY_DEV_SECRETS_DIR", dir.resolve("dev-secrets").toString());
    try (ChildServer child = ChildServer.spawn("respawn", List.of("sh", "-c", script), env)) {
      int chosen = child.port();
      child.awaitReady(Duration.ofSeconds(90));
      assertTrue(Files.exists(firstStartDone), "the first start ran and exited");
      assertNotEquals(chosen, child.port(), "started again on another port");
      HttpResponse<Void> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + child.port() + "/health/ready")).build(), HttpResponse.BodyHandlers.discarding());
      assertEquals(200, ready.statusCode());
    }
  }
}
