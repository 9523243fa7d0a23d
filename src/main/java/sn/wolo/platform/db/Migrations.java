package sn.wolo.platform.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code db/migration} with Flyway (JDBC, blocking: run it in executeBlocking or before the
 * event loops start). Flyway takes a PostgreSQL advisory lock, so instances starting together
 * migrate one after the other and the later ones find nothing to do.
 */
public final class Migrations {

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  public static MigrateResult migrate(DatabaseSettings db) {
    MigrateResult result = Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations("classpath:db/migration")
        .connectRetries(10)
        .validateMigrationNaming(true)
        .load()
        .migrate();
    if (result.migrationsExecuted > 0) {
      log.info("database {} migrated: {} migration(s) applied, now at version {}",
          db, result.migrationsExecuted, result.targetSchemaVersion);
    } else {
      log.info("database {} schema is up to date", db);
    }
    return result;
  }
}
