package sn.wolo.platform.db;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dev profile's database keeps its data across a stop and a start (README promise). */
class EmbeddedDatabaseTest {

  @Test
  void dataSurvivesARestart() throws Exception {
    Path dir = Files.createTempDirectory("wolo-pgdata-");
    try (EmbeddedDatabase first = EmbeddedDatabase.start(dir)) {
      exec(first.settings(), "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('still here')");
    }
    try (EmbeddedDatabase second = EmbeddedDatabase.start(dir);
         Connection c = connect(second.settings()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
      rs.next();
      assertEquals("still here", rs.getString(1));
    }
  }

  private static void exec(DatabaseSettings db, String... sql) throws Exception {
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      for (String q : sql) s.execute(q);
    }
  }

  private static Connection connect(DatabaseSettings db) throws Exception {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }
}
