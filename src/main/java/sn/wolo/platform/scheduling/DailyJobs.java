package sn.wolo.platform.scheduling;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;


import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a daily job once per period across all instances: the first instance to claim
 * {@code (job, period)} in {@code platform.job_runs} runs it; a claim left unfinished for an hour
 * (crash) may be taken again. Jobs must be idempotent for their period anyway (upserts).
 */
public final class DailyJobs {

  private static final String CLAIM = """
      INSERT INTO platform.job_runs (job, period, started_at) VALUES ($1, $2, $3)
      ON CONFLICT (job, period) DO UPDATE SET started_at = EXCLUDED.started_at
      WHERE job_runs.completed_at IS NULL AND job_runs.started_at < EXCLUDED.started_at - interval '1 hour'
      RETURNING job""";
  private static final String COMPLETE = "UPDATE platform.job_runs SET completed_at = $3 WHERE job = $1 AND period = $2";

  private DailyJobs() {
  }

  /**
   * Runs {@code work} for yesterday (Dakar's day) unless an instance already did; true when this
   * call ran it. Called on a timer: the first tick after midnight does the work, the others nothing.
   */
  public static Future<Boolean> runForYesterday(Pool pool, Clock clock, String job, Function<LocalDate, Future<?>> work) {
    LocalDate yesterday = Times.dakarToday(clock).minusDays(1);
    return runOnce(pool, job, yesterday, Times.now(clock), () -> work.apply(yesterday));
  }

  /** True when this call ran the job, false when another instance has (or is running) it. */
  static Future<Boolean> runOnce(Pool pool, String job, LocalDate period, OffsetDateTime now, Supplier<Future<?>> work) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(job, period, now)).compose(claimed -> {
      if (claimed.size() == 0) return Future.succeededFuture(false);
      return work.get().compose(v -> pool.preparedQuery(COMPLETE).execute(Tuple.of(job, period, now))).map(true);
    });
  }
}
