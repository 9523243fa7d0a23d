package sn.wolo.pot;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;
import sn.wolo.testing.TestDatabases;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Views are counted in memory, not with one UPDATE each, and a clean shutdown loses none. */
class PotCountersTest {

  @Test
  void viewsCountedInMemoryAreWrittenOnACleanShutdown() {
    var db = TestDatabases.migrated();
    // A flush period far longer than the test: only the shutdown can write the counts.
    TestApp app = TestApp.start(Map.of("db.url", db.url(), "pot.counters-flush-ms", "3600000"), java.time.Clock.systemUTC());
    String id;
    try {
      JsonObject login = app.accounts().otpLogin("+221769990001");
      String birthday = java.time.LocalDate.now(java.time.ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString();
      app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Vue Compteur").put("date_of_birth", birthday),
          login.getString("access_token"));
      var pot = app.http().post("/v1/pots", new JsonObject().put("title", "Compteur").put("target_amount_cfa", 5000)
          .put("visibility", "public"), login.getString("access_token"));
      assertEquals(201, pot.statusCode(), pot.bodyAsString());
      id = pot.bodyAsJsonObject().getString("id");
      for (int i = 0; i < 25; i++) assertEquals(200, app.http().get("/v1/public/pots/" + id, null).statusCode());
      long before = Await.result(app.sql().preparedQuery("SELECT view_count FROM pots.pots WHERE id = $1")
          .execute(Tuple.of(UUID.fromString(id)))).iterator().next().getLong(0);
      assertEquals(0, before, "nothing written per view");
    } finally {
      app.close();
    }
    TestApp again = TestApp.start(Map.of("db.url", db.url()), java.time.Clock.systemUTC());
    try {
      long after = Await.result(again.sql().preparedQuery("SELECT view_count FROM pots.pots WHERE id = $1")
          .execute(Tuple.of(UUID.fromString(id)))).iterator().next().getLong(0);
      assertEquals(25, after);
    } finally {
      again.close();
    }
  }
}
