package sn.wolo.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.db.DatabaseSettings;
import sn.wolo.testing.ChildServer;
import sn.wolo.testing.TestApp;
import sn.wolo.testing.TestDatabases;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: the OCI image that {@code mvn -Pimage verify} builds runs. Its layers are unpacked into a
 * root filesystem and its own entrypoint, environment and user are run there (chroot, as the user the
 * image names, with a private /proc), against a test database: migrations, readiness, a real request.
 * Needs root (chroot), as CI has. Not in the default test run: the image is built in the package
 * phase, after the unit tests (this class runs in the failsafe phase of the {@code image} profile).
 */
class ImageTarIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TAR = Path.of("target/jib-image.tar");
  private static final Path ROOT = Path.of("target/image-rootfs").toAbsolutePath();
  private static JsonNode config;
  private static ChildServer server;

  @BeforeAll
  static void unpack() throws Exception {
    assertTrue(Files.isRegularFile(TAR), "build the image first: mvn -Pimage verify");
    Path layout = Path.of("target/image-layout").toAbsolutePath();
    run(List.of("rm", "-rf", layout.toString(), ROOT.toString()));
    Files.createDirectories(layout);
    Files.createDirectories(ROOT);
    run(List.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", layout.toString()));
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    JsonNode manifest = JSON.readTree(blob(layout, index.at("/manifests/0/digest").asText()).toFile());
    config = JSON.readTree(blob(layout, manifest.at("/config/digest").asText()).toFile());
    for (JsonNode layer : manifest.get("layers")) {
      run(List.of("tar", "-xzpf", blob(layout, layer.get("digest").asText()).toString(), "-C", ROOT.toString()));
    }
    Files.createDirectories(ROOT.resolve("proc"));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @Test
  void theImageRunsAsNonRootWithItsOwnJavaAndServes() throws Exception {
    JsonNode c = config.get("config");
    assertEquals("65532:65532", c.get("User").asText(), "non-root");
    List<String> entrypoint = new ArrayList<>();
    c.get("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
    assertEquals("/opt/java/bin/java", entrypoint.get(0), "the image's own runtime, not the host's");

    Map<String, String> env = new HashMap<>();
    c.get("Env").forEach(e -> env.put(e.asText().substring(0, e.asText().indexOf('=')), e.asText().substring(e.asText().indexOf('=') + 1)));
    assertEquals("prod", env.get("WOLO_PROFILE"), "the image defaults to the production profile");
    DatabaseSettings db = TestDatabases.empty();
    int port = TestApp.freePort();
    // dev stand-ins for the providers (no real Wave or SMS here), the image's runtime and a real database
    env.putAll(Map.of("WOLO_PROFILE", "dev", "WOLO_DB_URL", db.url().replace("localhost", "127.0.0.1"),
        "WOLO_HTTP_HOST", "127.0.0.1", "WOLO_HTTP_PORT", String.valueOf(port), "WOLO_WAVE_SIMULATOR_PORT", "0",
        "WOLO_SECURITY_DEV_SECRETS_DIR", "/tmp/dev-secrets"));

    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--mount-proc=" + ROOT.resolve("proc"),
        "chroot", "--userspec=" + c.get("User").asText(), ROOT.toString()));
    command.addAll(entrypoint);   // its paths are absolute (/app/jib-classpath-file): the working directory does not matter
    server = ChildServer.spawn("image", command, env).awaitReady(Duration.ofSeconds(120));

    assertTrue(server.output().contains("Flyway") || server.output().toLowerCase().contains("migrat"), server.output());
    var openapi = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/openapi.json")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, openapi.statusCode());
    assertTrue(openapi.body().contains("\"openapi\""));
    String status = Files.readString(Path.of("/proc", String.valueOf(javaPid()), "status"));
    assertTrue(status.lines().anyMatch(l -> l.startsWith("Uid:") && l.contains("65532")), "the JVM runs as 65532:\n" + status);
  }

  /** The JVM under unshare/chroot: the process running the unpacked image's java. */
  private static long javaPid() {
    String java = ROOT.resolve("opt/java/bin/java").toString();
    return ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").equals(java))
        .mapToLong(ProcessHandle::pid).findFirst().orElseThrow(() -> new AssertionError("no JVM of the image is running"));
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command));
  }
}
