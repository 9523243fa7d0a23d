package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.scheduling.DailyJobs;

import java.time.Clock;
import java.time.LocalDate;

/**
 * The daily {@code pot_analytics} snapshot of every pot that was live on a day: raised, donations,
 * views, shares, conversion (succeeded donations / views). Runs once per day across instances
 * shortly after midnight Dakar, and is an upsert, so re-running a day (back-fill) is safe. Figures
 * are those at run time, i.e. the end of the day.
 */
final class PotSnapshots {

  static final String JOB = "pot_analytics";
  private static final String UPSERT = """
      INSERT INTO pots.pot_analytics (pot_id, snapshot_date, total_raised_cfa, donor_count, view_count, share_count, conversion_rate)
      SELECT id, $1, raised_cfa, succeeded_donations, view_count, share_count,
             CASE WHEN view_count > 0 THEN LEAST(round(succeeded_donations::numeric / view_count, 4), 9.9999) END
      FROM pots.pots
      WHERE actual_opened_at < $3 AND (status IN ('open', 'funded') OR closed_at >= $2)
      ON CONFLICT (pot_id, snapshot_date) DO UPDATE SET total_raised_cfa = EXCLUDED.total_raised_cfa,
          donor_count = EXCLUDED.donor_count, view_count = EXCLUDED.view_count, share_count = EXCLUDED.share_count,
          conversion_rate = EXCLUDED.conversion_rate""";

  private final Pool pool;
  private final Clock clock;

  PotSnapshots(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Yesterday's snapshot, if no instance has taken it yet. */
  Future<Boolean> runForYesterday() {
    return DailyJobs.runForYesterday(pool, clock, JOB, this::snapshot);
  }

  /** Upserts the snapshots of {@code day}; returns how many pots were written. */
  Future<Integer> snapshot(LocalDate day) {
    Times.Day d = Times.dakarDay(day);
    return pool.preparedQuery(UPSERT).execute(Tuple.of(day, d.start(), d.end())).map(r -> r.rowCount());
  }
}
