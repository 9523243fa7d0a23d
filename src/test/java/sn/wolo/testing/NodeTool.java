package sn.wolo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js tool the tests use (the Kubernetes schema validator, the OpenAPI linter): its
 * {@code package.json} and lock file under {@code src/test/<name>} are copied to {@code target/<name>}
 * and installed once with {@code npm ci}; commands then run there.
 */
public final class NodeTool {

  private final Path dir;

  private NodeTool(Path dir) {
    this.dir = dir;
  }

  /** Installs the tool unless {@code marker} (a path under node_modules) is already there. */
  public static NodeTool install(String name, List<String> files, String marker) throws IOException, InterruptedException {
    Path dir = Path.of("target", name);
    Files.createDirectories(dir);
    for (String f : files) Files.copy(Path.of("src/test", name, f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    NodeTool tool = new NodeTool(dir);
    if (!Files.exists(dir.resolve("node_modules").resolve(marker))) {
      Result r = tool.run(List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"), "", 300);
      if (r.exit() != 0) throw new IllegalStateException("npm ci in " + dir + " failed (Node.js and npm are needed: .ci/run installs them):\n" + r.output());
    }
    return tool;
  }

  public Path dir() {
    return dir;
  }

  /** What a command printed (stdout and stderr) and its exit code; -1 when it did not end in time. */
  public record Result(int exit, String output) {
  }

  public Result run(List<String> command, String stdin, int timeoutSeconds) throws IOException, InterruptedException {
    Path output = Files.createTempFile(dir.toAbsolutePath(), "out", ".txt");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) p.destroyForcibly();
    String text = Files.readString(output);
    Files.delete(output);
    return new Result(done ? p.exitValue() : -1, text);
  }
}
