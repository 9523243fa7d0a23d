package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestDatabases;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bursts of donations for the same owners, in different orders, add to the owners' digests at once
 * while other bursts start some of those digests and commit: no burst fails (a deadlock would fail
 * one whole, and its lane would retry it) and every donation counts once in its owner's digest.
 * The shape that could deadlock: one burst locks a digest that a third committed after a second
 * burst looked, then waits on a digest the second just started, while the second meets the first's
 * lock; digests are therefore locked or started in one statement in key order ({@link Digests}).
 */
class DigestsTest {

  private static final int OWNERS = 40;
  private static final int BURSTS = 6;
  private static final int ROUNDS = 12;

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Pool.pool(vertx, TestDatabases.migrated().connectOptions(), new PoolOptions().setMaxSize(BURSTS + 2));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void overlappingBurstsInDifferentOrdersNeitherFailNorLoseADonation() {
    Digests digests = new Digests(new Templates(pool));
    Templates.Template template = Await.result(digests.template());
    Instant now = Instant.now();
    Random random = new Random(20261127);
    for (int round = 0; round < ROUNDS; round++) {
      List<UUID> owners = newOwners();
      Map<UUID, Long> expectedCount = new HashMap<>();
      Map<UUID, Long> expectedTotal = new HashMap<>();
      List<Future<List<JsonObject>>> bursts = new ArrayList<>();
      for (int b = 0; b < BURSTS; b++) {
        // Even bursts name every owner (forwards, backwards, shuffled); odd ones a random few, so
        // that some digests are started and committed while the others are under way.
        List<UUID> named = new ArrayList<>(owners);
        if (b % 2 == 1) named.removeIf(o -> random.nextInt(4) != 0);
        if (b % 4 == 2) Collections.reverse(named);
        if (b % 4 == 0 && b > 0) Collections.shuffle(named, random);
        List<Digests.Addition> additions = new ArrayList<>();
        for (UUID owner : named) {
          long amount = 1_000L * (1 + random.nextInt(9));
          additions.add(new Digests.Addition(owner, "+221770000000", "sms", "daily",
              List.of(new Digests.Entry("donation:" + round + ":" + b + ":" + owner, amount))));
          expectedCount.merge(owner, 1L, Long::sum);
          expectedTotal.merge(owner, amount, Long::sum);
        }
        bursts.add(pool.withTransaction(tx -> digests.addAll(tx, template, additions, now)));
      }
      for (int b = 0; b < BURSTS; b++) {
        String burst = "round " + round + ", burst " + b;
        try {
          Await.result(bursts.get(b));
        } catch (RuntimeException e) {
          fail(burst + " failed: " + e.getMessage(), e);
        }
      }
      for (Row r : Await.result(pool.preparedQuery("""
          SELECT user_id, template_data FROM notifications.notifications
          WHERE template_id = $1 AND user_id = ANY($2::uuid[])""").execute(Tuple.tuple().addUUID(template.id()).addValue(owners.toArray(UUID[]::new))))) {
        JsonObject data = (JsonObject) r.getValue(1);
        assertEquals(expectedCount.get(r.getUUID(0)), data.getLong("count"), "donations counted in a digest, round " + round);
        assertEquals(expectedTotal.get(r.getUUID(0)), data.getLong("total"), "total of a digest, round " + round);
        expectedCount.remove(r.getUUID(0));
      }
      assertEquals(Map.of(), expectedCount, "owners named in a burst without a digest, round " + round);
    }
  }

  private static List<UUID> newOwners() {
    List<UUID> owners = new ArrayList<>();
    for (int i = 0; i < OWNERS; i++) owners.add(UUID.randomUUID());
    Await.result(pool.preparedQuery("INSERT INTO identity.users (id, email) SELECT id, 'digest-' || id || '@wolo.sn' FROM unnest($1::uuid[]) AS id")
        .execute(Tuple.of((Object) owners.toArray(UUID[]::new))));
    return owners;
  }
}
