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
}
