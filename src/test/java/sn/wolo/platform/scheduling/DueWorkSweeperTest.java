package sn.wolo.platform.scheduling;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.config.WoloConfig;
import sn.wolo.platform.db.Pools;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestDatabases;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Several sweepers over the same due rows: each row is handled exactly once. */
class DueWorkSweeperTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    var config = WoloConfig.load(Map.of(), Map.of()).with(Map.of("db.url", TestDatabases.migrated().url()));
    pool = Pools.create(vertx, config);
    Await.result(pool.query("""
        CREATE TABLE due_work (id int PRIMARY KEY, due_at timestamptz NOT NULL, handled_count int NOT NULL DEFAULT 0,
                               handled_by text)""").execute());
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void concurrentSweepersHandleEveryDueRowOnceAndLeaveFutureRowsAlone() {
    Await.result(pool.query("""
        INSERT INTO due_work (id, due_at) SELECT g, now() - interval '1 minute' FROM generate_series(1, 5000) g;
        INSERT INTO due_work (id, due_at) SELECT g, now() + interval '1 day' FROM generate_series(5001, 5100) g""").execute());

    DueWorkSweeper a = sweeper("a");
    DueWorkSweeper b = sweeper("b");
    DueWorkSweeper c = sweeper("c");
    int total = Await.result(Future.all(a.sweep(), b.sweep(), c.sweep()))
        .<Integer>list().stream().mapToInt(Integer::intValue).sum();

    assertEquals(5000, total);
    Row r = Await.result(pool.query("""
        SELECT count(*) FILTER (WHERE handled_count = 1) AS once,
               count(*) FILTER (WHERE handled_count > 1) AS twice,
               count(*) FILTER (WHERE handled_count = 0 AND due_at > now()) AS future,
               count(DISTINCT handled_by) AS sweepers
        FROM due_work""").execute()).iterator().next();
    assertEquals(5000, r.getInteger("once"));
    assertEquals(0, r.getInteger("twice"));
    assertEquals(100, r.getInteger("future"));
    // A later sweep finds nothing left to do.
    assertEquals(0, Await.result(a.sweep()));
  }

  @Test
  void aSweepRequestedDuringARunningSweepRunsAgainAfterIt() {
    var handled = new java.util.concurrent.atomic.AtomicInteger();
    io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
    var first = new java.util.concurrent.atomic.AtomicBoolean(true);
    DueWorkSweeper s = new DueWorkSweeper(vertx, pool, "rerun", 10, (tx, limit) -> {
      // The first batch waits for the test; every batch finds nothing more to do after one row.
      Future<Void> wait = first.getAndSet(false) ? gate.future() : Future.succeededFuture();
      return wait.map(v -> handled.incrementAndGet() == 1 ? 1 : 0);
    });
    Future<Integer> running = s.sweep();
    Future<Integer> same = s.sweep();   // requested while running: same result, and a rerun is due
    assertEquals(running, same);
    gate.complete();
    assertEquals(1, Await.result(running));
    sn.wolo.testing.Eventually.until("the rerun happened", () -> handled.get() == 2);
  }

  private static DueWorkSweeper sweeper(String name) {
    return new DueWorkSweeper(vertx, pool, name, 100, (tx, limit) -> tx.preparedQuery("""
            UPDATE due_work SET handled_count = handled_count + 1, handled_by = $2
            WHERE id IN (SELECT id FROM due_work WHERE handled_count = 0 AND due_at <= now()
                         ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)""")
        .execute(Tuple.of(limit, name)).map(rows -> rows.rowCount()));
  }
}
