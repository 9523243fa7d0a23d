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
    return db;
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
