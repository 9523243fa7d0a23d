package sn.wolo.bench;

import sn.wolo.platform.db.DatabaseSettings;
import sn.wolo.platform.db.EmbeddedDatabase;
import sn.wolo.platform.db.Migrations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The database of a benchmark run: WOLO_DB_URL when set, else a fresh embedded PostgreSQL 17 with
 * production settings (fsync on, unlike the test harness) under target/bench-pgdata-PID, deleted
 * when the run ends (a 1,000,000-donation run leaves gigabytes: runs used to fill the disk).
 */
final class BenchDatabase implements AutoCloseable {

  final DatabaseSettings settings;
  private final EmbeddedDatabase embedded;
  private final Path dataDir;

  private BenchDatabase(DatabaseSettings settings, EmbeddedDatabase embedded, Path dataDir) {
    this.settings = settings;
    this.embedded = embedded;
    this.dataDir = dataDir;
  }

  static BenchDatabase start() throws Exception {
    String url = System.getenv("WOLO_DB_URL");
    BenchDatabase db;
    if (url != null && !url.isBlank()) {
      db = new BenchDatabase(DatabaseSettings.parse(url), null, null);
    } else {
      Path dir = Path.of("target", "bench-pgdata-" + ProcessHandle.current().pid());
      EmbeddedDatabase e = EmbeddedDatabase.start(dir);
      db = new BenchDatabase(e.settings(), e, dir);
    }
    Migrations.migrate(db.settings);
    System.out.println(db.durability());
    return db;
  }

  /** The settings a "durable" figure depends on, as the server reports them (printed by every benchmark). */
  String durability() throws java.sql.SQLException {
    StringBuilder out = new StringBuilder("PostgreSQL durability settings:");
    boolean durable = true;
    try (var c = java.sql.DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
         var st = c.createStatement()) {
      for (String name : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
        try (var rs = st.executeQuery("SHOW " + name)) {
          rs.next();
          out.append(' ').append(name).append('=').append(rs.getString(1));
          durable &= !"off".equals(rs.getString(1));
        }
      }
    }
    return out.append(durable ? " (durable figures)" : " (NOT durable: these figures must not be called durable)").toString();
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version")
        + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
  }

  @Override
  public void close() {
    if (embedded == null) return;
    embedded.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      Files.deleteIfExists(dataDir.resolveSibling(dataDir.getFileName() + ".owner"));
    } catch (IOException e) {
      System.err.println("benchmark data directory not deleted: " + dataDir + " (" + e.getMessage() + ")");
    }
  }
}
