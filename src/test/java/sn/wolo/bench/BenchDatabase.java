package sn.wolo.bench;

import sn.wolo.platform.db.DatabaseSettings;
import sn.wolo.platform.db.EmbeddedDatabase;
import sn.wolo.platform.db.Migrations;

import java.nio.file.Path;

/**
 * The database of a benchmark run: WOLO_DB_URL when set, else a fresh embedded PostgreSQL 17 with
 * production settings (fsync on, unlike the test harness) under target/bench-pgdata.
 */
final class BenchDatabase implements AutoCloseable {

  final DatabaseSettings settings;
  private final EmbeddedDatabase embedded;

  private BenchDatabase(DatabaseSettings settings, EmbeddedDatabase embedded) {
    this.settings = settings;
    this.embedded = embedded;
  }

  static BenchDatabase start() throws Exception {
    String url = System.getenv("WOLO_DB_URL");
    BenchDatabase db;
    if (url != null && !url.isBlank()) {
      db = new BenchDatabase(DatabaseSettings.parse(url), null);
    } else {
      Path dir = Path.of("target", "bench-pgdata-" + ProcessHandle.current().pid());
      EmbeddedDatabase e = EmbeddedDatabase.start(dir);
      db = new BenchDatabase(e.settings(), e);
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
    if (embedded != null) embedded.close();
  }
}
