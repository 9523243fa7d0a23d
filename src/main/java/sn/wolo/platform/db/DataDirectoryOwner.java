package sn.wolo.platform.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Who owns the embedded PostgreSQL's data directory. A server killed with {@code kill -9} leaves its
 * PostgreSQL running (a separate process) holding the directory, and the next start would wait and
 * fail. So a start records its JVM's pid beside the directory ({@code <dir>.owner}), and before
 * starting PostgreSQL:
 * <ul>
 *   <li>if the recorded JVM is still alive, the directory is in use: refuse, naming the pid;</li>
 *   <li>otherwise, if {@code postmaster.pid} names a live {@code postgres}, it is the orphan of a
 *   killed run: stop it (fast shutdown, SIGINT: committed data is on disk) and wait for it to exit.</li>
 * </ul>
 * Blocking (process waits): call it from the main thread or a worker.
 */
final class DataDirectoryOwner {

  /** The directory belongs to another live WOLO server. */
  static final class InUse extends Exception {
    InUse(String message) {
      super(message);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(DataDirectoryOwner.class);

  private DataDirectoryOwner() {
  }

  static void claim(Path dataDir) throws InUse {
    Path ownerFile = dataDir.resolveSibling(dataDir.getFileName() + ".owner");
    long self = ProcessHandle.current().pid();
    Optional<ProcessHandle> owner = pidIn(ownerFile).filter(pid -> pid != self).flatMap(ProcessHandle::of)
        .filter(p -> p.isAlive() && command(p).contains("java"));
    if (owner.isPresent()) {
      throw new InUse("the data directory " + dataDir + " is in use by another WOLO server (pid " + owner.get().pid()
          + "); stop it, or set WOLO_DATA_DIR to another directory");
    }
    livePostmaster(dataDir).ifPresent(orphan -> stop(orphan, dataDir));
    try {
      Files.writeString(ownerFile, Long.toString(self));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The live {@code postgres} that {@code postmaster.pid} names, if any. */
  static Optional<ProcessHandle> livePostmaster(Path dataDir) {
    return pidIn(dataDir.resolve("postmaster.pid")).flatMap(ProcessHandle::of)
        .filter(p -> p.isAlive() && command(p).contains("postgres"));
  }

  private static void stop(ProcessHandle orphan, Path dataDir) {
    log.warn("a PostgreSQL left running by a killed WOLO server (pid {}) holds {}: stopping it", orphan.pid(), dataDir);
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(orphan.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
      orphan.onExit().get(60, TimeUnit.SECONDS);
      log.info("the orphaned PostgreSQL stopped");
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the PostgreSQL (pid " + orphan.pid() + ") left by a killed run in " + dataDir
          + "; stop it by hand (kill -INT " + orphan.pid() + ")", e);
    }
  }

  private static Optional<Long> pidIn(Path file) {
    try {
      if (!Files.isRegularFile(file)) return Optional.empty();
      String first = Files.readAllLines(file).stream().findFirst().orElse("").trim();
      return first.matches("\\d{1,10}") ? Optional.of(Long.parseLong(first)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String command(ProcessHandle p) {
    return p.info().commandLine().or(() -> p.info().command()).orElse("");
  }
}
