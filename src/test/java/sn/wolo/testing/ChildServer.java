package sn.wolo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server as a separate process ({@code java sn.wolo.Wolo}, the jar's main class, on the test
 * classpath), for what only a real process shows: exit codes, {@code kill -9}, restarts. Its
 * output goes to a file under {@code target/} that tests read.
 */
public final class ChildServer implements AutoCloseable {

  /** Starts with another free port when the one chosen was taken before the child bound it. */
  private static final int MAX_RESPAWNS = 2;

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  /** Whether the port was chosen here (free when chosen; the child may find it taken by then). */
  private final boolean portChosenHere;
  private Process process;
  private Path log;
  private int port;
  private int respawns;

  private ChildServer(String name, List<String> command, Map<String, String> env) {
    this.name = name;
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.portChosenHere = !env.containsKey("WOLO_HTTP_PORT");
    start();
  }

  /** Starts {@code java sn.wolo.Wolo} with these WOLO_* variables (and a free port unless given). */
  public static ChildServer spawn(String name, Map<String, String> env) {
    Path dir = Path.of("target", "tmp", "child");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Duser.home=" + dir.toAbsolutePath(), "-Djava.io.tmpdir=" + dir.toAbsolutePath(),
        "-cp", System.getProperty("java.class.path"), "sn.wolo.Wolo");
    Map<String, String> all = new java.util.HashMap<>(Map.of("WOLO_HTTP_HOST", "127.0.0.1", "WOLO_WAVE_SIMULATOR_PORT", "0",
        "WOLO_SECURITY_DEV_SECRETS_DIR", dir.resolve("dev-secrets").toAbsolutePath().toString()));
    all.putAll(env);
    return spawn(name, command, all);
  }

  /** Starts {@code command} (the server in some form) with only these WOLO_* variables (and a free port unless given). */
  public static ChildServer spawn(String name, List<String> command, Map<String, String> env) {
    return new ChildServer(name, command, env);
  }

  private void start() {
    try {
      Path dir = Path.of("target", "tmp", "child");
      Files.createDirectories(dir);
      log = Files.createTempFile(dir, name + "-", ".log");
      String given = env.get("WOLO_HTTP_PORT");
      port = given == null ? TestApp.freePort() : given.matches("\\d{1,5}") ? Integer.parseInt(given) : -1;
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("WOLO_"));
      if (given == null) pb.environment().put("WOLO_HTTP_PORT", String.valueOf(port));
      pb.environment().putAll(env);
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A port chosen free here can be taken before the child binds it (say, by an outgoing connection's
   * ephemeral port — CI, once): the child then exits naming it, and starts again on another port.
   */
  private boolean respawnedAfterTakenPort() {
    if (!portChosenHere || respawns >= MAX_RESPAWNS || !output().contains(port + ": the port is already in use")) return false;
    respawns++;
    start();
    return true;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** Waits (bounded) until {@code /health/ready} answers 200; fails with the child's output otherwise. */
  public ChildServer awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive() && !respawnedAfterTakenPort()) {
        throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return this;
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      try {
        process.waitFor(100, TimeUnit.MILLISECONDS);   // paces the polling on the child, not a sleep
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    throw new AssertionError("the server was not ready within " + timeout + ":\n" + output());
  }

  /** The exit code, waiting at most {@code timeout}; null when it is still running. */
  public Integer awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** SIGKILL: no shutdown hook, nothing flushed, the embedded PostgreSQL (a grandchild) left running. */
  public void kill9() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();   // SIGTERM: graceful stop
      if (awaitExit(Duration.ofSeconds(40)) == null) kill9();
    }
  }

}
