package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestDatabases;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two bursts naming the same new users in different orders both create their default preferences:
 * written in request order, each insert waited for a row the other had just made — a deadlock that
 * failed whole bursts of notifications (seen in CI, NotificationsTest).
 */
class PreferencesTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Pool.pool(vertx, TestDatabases.migrated().connectOptions(), new PoolOptions().setMaxSize(4));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void burstsNamingTheSameNewUsersInOppositeOrdersBothGetTheirDefaults() {
    Preferences preferences = new Preferences(pool);
    for (int round = 0; round < 10; round++) {
      List<UUID> users = new ArrayList<>();
      for (int i = 0; i < 200; i++) users.add(UUID.randomUUID());
      Await.result(pool.preparedQuery("INSERT INTO identity.users (id, email) SELECT id, 'prefs-' || id || '@wolo.sn' FROM unnest($1::uuid[]) AS id")
          .execute(Tuple.of((Object) users.toArray(UUID[]::new))));
      List<UUID> reversed = new ArrayList<>(users);
      Collections.reverse(reversed);
      Future<Map<UUID, io.vertx.core.json.JsonObject>> forward = preferences.getAll(new LinkedHashSet<>(users));
      Future<Map<UUID, io.vertx.core.json.JsonObject>> backward = preferences.getAll(new LinkedHashSet<>(reversed));
      assertEquals(200, Await.result(forward).size(), "round " + round);
      assertEquals(200, Await.result(backward).size(), "round " + round);
      assertEquals("daily", Await.result(forward).get(users.get(0)).getString("digest_frequency"));
    }
  }
}
