package sn.wolo.platform.db;

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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 19: one item PostgreSQL refuses fails only its own submitter, never the batch it was grouped with. */
class GroupCommitTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    var db = TestDatabases.migrated();
    TestDatabases.execute(db, "CREATE TABLE group_items (n INT PRIMARY KEY, label TEXT NOT NULL CHECK (label <> 'bad'))");
    pool = Pool.pool(vertx, db.connectOptions(), new PoolOptions().setMaxSize(2));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aPoisonedItemFailsAloneAndEveryInnocentItemIsWritten() {
    GroupCommit<String[], Void> commits = new GroupCommit<>(1000, i -> 1, batch -> {
      Integer[] ns = new Integer[batch.size()];
      String[] labels = new String[batch.size()];
      for (int i = 0; i < batch.size(); i++) {
        ns[i] = Integer.parseInt(batch.get(i)[0]);
        labels[i] = batch.get(i)[1];
      }
      return pool.preparedQuery("INSERT INTO group_items SELECT * FROM unnest($1::int[], $2::text[])")
          .execute(Tuple.tuple().addValue(ns).addValue(labels)).map(r -> Collections.nCopies(batch.size(), null));
    });
    List<Future<Void>> results = new ArrayList<>();
    // Submitted on one event loop so they queue behind each other and are written in shared batches.
    var context = vertx.getOrCreateContext();
    java.util.concurrent.CompletableFuture<Void> submitted = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      for (int i = 0; i < 200; i++) {
        String label = i == 77 || i == 150 ? "bad" : i == 120 ? "nul\u0000" : "ok";
        results.add(commits.submit(new String[] {String.valueOf(i), label}));
      }
      submitted.complete(null);
    });
    submitted.join();
    Await.result(Future.join(new ArrayList<>(results)).transform(ar -> Future.succeededFuture()));
    for (int i = 0; i < 200; i++) {
      boolean poisoned = i == 77 || i == 150 || i == 120;
      assertEquals(!poisoned, results.get(i).succeeded(), "item " + i + ": " + results.get(i).cause());
    }
    long rows = Await.result(pool.query("SELECT count(*) FROM group_items").execute()).iterator().next().getLong(0);
    assertEquals(197, rows, "every innocent item written");
    assertTrue(GroupCommit.causedByData(results.get(77).cause()));
  }
}
