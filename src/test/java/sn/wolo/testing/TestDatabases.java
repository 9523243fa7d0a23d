package sn.wolo.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import sn.wolo.platform.db.DatabaseSettings;
import sn.wolo.platform.db.Migrations;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server of a test run, started once per JVM: {@code WOLO_TEST_DB_URL} if set; else a
 * Testcontainers PostgreSQL if a Docker daemon answers; else an embedded PostgreSQL 17. The schema
 * is migrated once into a template database, and each test class gets its own fresh copy of it
 * ({@code CREATE DATABASE … TEMPLATE}, a file copy: fast).
 */
public final class TestDatabases {

  private static final String TEMPLATE = "wolo_template_" + ProcessHandle.current().pid();
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static DatabaseSettings server;

  private TestDatabases() {
  }

  /** A new database with the whole schema migrated. */
  public static DatabaseSettings migrated() {
    return create("TEMPLATE " + TEMPLATE);
  }

  /** A new, empty database (for migration tests). */
  public static DatabaseSettings empty() {
    return create("TEMPLATE template0");
  }

  private static DatabaseSettings create(String template) {
    DatabaseSettings admin = server();
    String name = "wolo_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    execute(admin, "CREATE DATABASE " + name + " " + template);
    return admin.withDatabase(name);
  }

  private static synchronized DatabaseSettings server() {
    if (server == null) {
      DatabaseSettings admin = startServer();
      execute(admin, "DROP DATABASE IF EXISTS " + TEMPLATE);
      execute(admin, "CREATE DATABASE " + TEMPLATE);
      Migrations.migrate(admin.withDatabase(TEMPLATE));
      server = admin;
    }
    return server;
  }

  private static DatabaseSettings startServer() {
    String url = System.getenv("WOLO_TEST_DB_URL");
    if (url != null && !url.isBlank()) {
      return DatabaseSettings.parse(url);
    }
    if (DockerPostgres.available()) {
      return DockerPostgres.start();
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setServerConfig("fsync", "off")                 // tests do not survive power cuts, and need not
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .setServerConfig("max_connections", "400")
          .setServerConfig("timezone", "UTC")
          .start();
      return new DatabaseSettings("localhost", pg.getPort(), "postgres", "postgres", "");
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded PostgreSQL for tests; set WOLO_TEST_DB_URL", e);
    }
  }

  public static void execute(DatabaseSettings db, String sql) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
