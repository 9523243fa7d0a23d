package sn.wolo.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.config.WoloConfig;
import sn.wolo.platform.db.Pools;
import sn.wolo.platform.scheduling.DueWorkSweeper;
import sn.wolo.pot.PotLifecycle;
import sn.wolo.testing.Await;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Times the J-30 opening sweep: N pots of which M are due, two sweepers in parallel (as two
 * instances would), each batch = claim with SKIP LOCKED + update + outbox events. Baseline in the
 * same run: one plain bulk UPDATE of the same M rows without locking or events (the database's
 * ceiling for the bare state change). Prints pots/s, batch latency percentiles and the ratio.
 *
 * <p>Run: {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=sn.wolo.bench.PotSweepBenchmark [-Dexec.args="5000000 1000000"]}
 */
public final class PotSweepBenchmark {

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    int due = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    System.out.printf("pot sweep benchmark: %,d pots, %,d due, batch %d, 2 sweepers; machine: %s%n",
        total, due, batch, BenchDatabase.machine());
    try (BenchDatabase db = BenchDatabase.start()) {
      Vertx vertx = Vertx.vertx();
      WoloConfig config = WoloConfig.load(Map.of(), Map.of()).with(Map.of("db.url", db.settings.url(), "db.pool-size", "8"));
      Pool pool = Pools.create(vertx, config);
      long t0 = System.nanoTime();
      seed(pool, total, due);
      System.out.printf("seeded in %.1f s%n", (System.nanoTime() - t0) / 1e9);

      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      PotLifecycle lifecycle = new PotLifecycle(Clock.systemUTC());
      DueWorkSweeper.Batch timed = (tx, limit) -> {
        long start = System.nanoTime();
        return lifecycle.openDue(tx, limit).onSuccess(n -> latencies.add(System.nanoTime() - start));
      };
      DueWorkSweeper a = new DueWorkSweeper(vertx, pool, "bench-a", batch, timed);
      DueWorkSweeper b = new DueWorkSweeper(vertx, pool, "bench-b", batch, timed);
      long s0 = System.nanoTime();
      int opened = Await.result(Future.all(a.sweep(), b.sweep()), 3600).<Integer>list().stream().mapToInt(Integer::intValue).sum();
      double sweepSeconds = (System.nanoTime() - s0) / 1e9;
      long events = Await.result(pool.query("SELECT count(*) FROM platform.outbox WHERE event_type = 'pot.opened'").execute())
          .iterator().next().getLong(0);

      // Baseline: put the same pots back and change their state in one bare statement.
      Await.result(pool.query("UPDATE pots.pots SET status = 'scheduled', actual_opened_at = NULL WHERE status = 'open'").execute(), 3600);
      Await.result(pool.query("VACUUM ANALYZE pots.pots").execute(), 3600);
      long b0 = System.nanoTime();
      int bulk = Await.result(pool.query("""
          UPDATE pots.pots SET status = 'open', actual_opened_at = now()
          WHERE status = 'scheduled' AND scheduled_open_at <= now()""").execute(), 3600).rowCount();
      double bulkSeconds = (System.nanoTime() - b0) / 1e9;

      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      System.out.printf("sweep:    %,d pots opened, %,d events, %.1f s, %,.0f pots/s, batch p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          opened, events, sweepSeconds, opened / sweepSeconds, pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 1.0));
      System.out.printf("baseline: %,d pots in one bare UPDATE (no lock, no events), %.1f s, %,.0f pots/s%n",
          bulk, bulkSeconds, bulk / bulkSeconds);
      System.out.printf("ratio:    sweep reaches %.0f %% of the bare UPDATE's throughput%n", 100 * (opened / sweepSeconds) / (bulk / bulkSeconds));
      Await.result(pool.close());
      Await.result(vertx.close());
    }
  }

  private static void seed(Pool pool, int total, int due) {
    int owners = Math.max(1, total / 100);
    Await.result(pool.preparedQuery("INSERT INTO identity.users (email) SELECT 'bench' || g || '@wolo.sn' FROM generate_series(1, $1) g")
        .execute(Tuple.of(owners)), 3600);
    // Each owner has up to 100 pots on different birthdays (one live pot per owner and birthday).
    Await.result(pool.preparedQuery("""
        WITH u AS (SELECT id, row_number() OVER () - 1 AS n FROM identity.users WHERE email LIKE 'bench%')
        INSERT INTO pots.pots (owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status)
        SELECT u.id, 'bench', 10000, b.day,
               CASE WHEN g <= $2 THEN now() - interval '1 hour' ELSE (b.day - 30)::timestamp AT TIME ZONE 'Africa/Dakar' END,
               b.day::timestamp AT TIME ZONE 'Africa/Dakar', 'scheduled'
        FROM generate_series(1, $1) g
        JOIN u ON u.n = g % $3
        CROSS JOIN LATERAL (SELECT DATE '2031-01-01' + (g / $3)::int AS day) b""").execute(Tuple.of(total, due, owners)), 3600);
    Await.result(pool.query("VACUUM ANALYZE pots.pots").execute(), 3600);
  }

  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return 0;
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
    return sorted.get(Math.max(0, i)) / 1e6;
  }
}
