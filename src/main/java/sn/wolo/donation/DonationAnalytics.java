package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.scheduling.DailyJobs;

import java.time.Clock;
import java.time.LocalDate;

/**
 * The daily {@code donation_analytics} row (Dakar day): money kept (succeeded, not refunded, by
 * confirmation day), donations started, unique donors, average, success rate (succeeded or later
 * refunded / started). Upsert per period, so re-runs and back-fills are safe; runs once per day
 * across instances. Donations carry no location, so the region breakdown has one "unknown" bucket.
 */
final class DonationAnalytics {

  static final String JOB = "donation_analytics";
  private static final String UPSERT = """
      WITH kept AS (
        SELECT amount_cfa, COALESCE(donor_user_id::text, donor_phone, id::text) AS donor FROM donations.donations
        WHERE status = 'succeeded' AND confirmed_at >= $2 AND confirmed_at < $3),
      started AS (
        SELECT count(*) AS n, count(*) FILTER (WHERE status IN ('succeeded', 'refunded')) AS ok FROM donations.donations
        WHERE initiated_at >= $2 AND initiated_at < $3)
      INSERT INTO donations.donation_analytics (period_type, period_start, period_end, total_amount_cfa, transaction_count,
          unique_donors, average_donation_cfa, success_rate, region_breakdown)
      SELECT 'daily', $1, $1, COALESCE((SELECT sum(amount_cfa) FROM kept), 0), (SELECT n FROM started),
             (SELECT count(DISTINCT donor) FROM kept), COALESCE((SELECT round(avg(amount_cfa)) FROM kept), 0)::int,
             CASE WHEN (SELECT n FROM started) > 0 THEN round((SELECT ok FROM started)::numeric / (SELECT n FROM started), 4) END,
             jsonb_build_object('unknown', COALESCE((SELECT sum(amount_cfa) FROM kept), 0))
      ON CONFLICT (period_type, period_start, period_end) DO UPDATE SET total_amount_cfa = EXCLUDED.total_amount_cfa,
          transaction_count = EXCLUDED.transaction_count, unique_donors = EXCLUDED.unique_donors,
          average_donation_cfa = EXCLUDED.average_donation_cfa, success_rate = EXCLUDED.success_rate,
          region_breakdown = EXCLUDED.region_breakdown
      RETURNING total_amount_cfa, transaction_count, unique_donors, average_donation_cfa, success_rate""";

  private final Pool pool;
  private final Clock clock;

  DonationAnalytics(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  Future<Boolean> runForYesterday() {
    return DailyJobs.runForYesterday(pool, clock, JOB, this::compute);
  }

  Future<JsonObject> compute(LocalDate day) {
    Times.Day d = Times.dakarDay(day);
    return pool.preparedQuery(UPSERT).execute(Tuple.of(day, d.start(), d.end())).map(rows -> {
      var r = rows.iterator().next();
      return new JsonObject().put("date", day.toString()).put("total_amount_cfa", r.getLong("total_amount_cfa"))
          .put("transaction_count", r.getInteger("transaction_count")).put("unique_donors", r.getInteger("unique_donors"))
          .put("average_donation_cfa", r.getInteger("average_donation_cfa"))
          .put("success_rate", r.getBigDecimal("success_rate") == null ? null : r.getBigDecimal("success_rate").toPlainString());
    });
  }
}
