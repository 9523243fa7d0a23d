package sn.wolo.platform.db;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatabaseSettingsTest {

  @Test
  void parsesTheUrlFormOfWoloDbUrl() {
    var db = DatabaseSettings.parse("postgresql://wolo:s%40cret@db.internal:6432/wolo_prod");
    assertEquals(new DatabaseSettings("db.internal", 6432, "wolo_prod", "wolo", "s@cret"), db);
    assertEquals("jdbc:postgresql://db.internal:6432/wolo_prod", db.jdbcUrl());
    assertEquals(db, DatabaseSettings.parse(db.url()), "url() round-trips");
    assertEquals(5432, DatabaseSettings.parse("postgresql://u@h/d").port());
  }

  @Test
  void neverPrintsThePassword() {
    assertFalse(DatabaseSettings.parse("postgresql://u:topsecret@h:1/d").toString().contains("topsecret"));
  }

  @Test
  void refusesOtherSchemes() {
    assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.parse("mysql://u:p@h/d"));
  }

  /** Issue 17: TLS to PostgreSQL as libpq spells it, for the reactive pool and Flyway alike. */
  @Test
  void tlsIsAskedInTheUrlAndVerifiedAgainstACa() {
    var db = DatabaseSettings.parse("postgresql://wolo:pw@wolo-db-rw.wolo:5432/wolo?sslmode=verify-full&sslrootcert=/etc/wolo/db-ca/ca.crt");
    assertEquals("verify-full", db.sslMode());
    assertEquals("/etc/wolo/db-ca/ca.crt", db.sslRootCert());
    assertEquals("jdbc:postgresql://wolo-db-rw.wolo:5432/wolo?sslmode=verify-full&sslrootcert=/etc/wolo/db-ca/ca.crt", db.jdbcUrl());
    assertEquals(io.vertx.pgclient.SslMode.VERIFY_FULL, db.connectOptions().getSslMode());
    assertEquals(db, DatabaseSettings.parse(db.url()), "url() round-trips");
    assertEquals("disable", DatabaseSettings.parse("postgresql://u@h/d").sslMode());
    assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.parse("postgresql://u@h/d?sslmode=verify-full"),
        "verifying needs the CA");
    assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.parse("postgresql://u@h/d?sslmode=maybe"));
    assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.parse("postgresql://u@h/d?ssl=true"), "unknown parameter");
  }
}
