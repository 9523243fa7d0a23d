package sn.wolo.analytics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.scheduling.DailyJobs;

import java.time.Clock;
import java.time.LocalDate;

/**
 * Daily business metrics computed from the event table (client events and the domains' own events
 * relayed from the outbox): daily active users, new users, pots created/opened/funded, donations
 * count and amount, average donation, refund rate — overall and per region, with the previous day's
 * value and the change. Upsert per (day, metric, dimensions): re-runs and back-fills are safe.
 * Events carry no birth date, so the age-group dimension is not computed.
 */
final class BusinessMetrics {

  /** One statement: every metric for the day, overall (NULL dimensions) and per region, upserted with its previous value. */
  private static final String COMPUTE = """
      WITH day AS (SELECT * FROM analytics.analytics_events WHERE "timestamp" >= $2 AND "timestamp" < $3),
      groups AS (
        SELECT NULL::jsonb AS dims, * FROM day
        UNION ALL SELECT jsonb_build_object('region', region), * FROM day WHERE region IS NOT NULL),
      raw AS (
        SELECT dims,
          count(DISTINCT COALESCE(user_id::text, anonymous_id)) FILTER (WHERE user_id IS NOT NULL OR anonymous_id IS NOT NULL) AS dau,
          count(*) FILTER (WHERE event_name = 'user_signed_up') AS new_users,
          count(*) FILTER (WHERE event_name = 'pot_created') AS pots_created,
          count(*) FILTER (WHERE event_name = 'pot_opened') AS pots_opened,
          count(*) FILTER (WHERE event_name = 'pot_funded') AS pots_funded,
          count(*) FILTER (WHERE event_name = 'donation_succeeded') AS donations,
          COALESCE(sum((properties ->> 'amount_cfa')::bigint) FILTER (WHERE event_name = 'donation_succeeded'), 0) AS amount,
          count(*) FILTER (WHERE event_name = 'donation_refunded') AS refunds
        FROM groups GROUP BY dims),
      metrics AS (
        SELECT dims, m.metric_type, m.value, m.cnt FROM raw, LATERAL (VALUES
          ('daily_active_users', dau::numeric, dau),
          ('new_users', new_users::numeric, new_users),
          ('pots_created', pots_created::numeric, pots_created),
          ('pots_opened', pots_opened::numeric, pots_opened),
          ('pots_funded', pots_funded::numeric, pots_funded),
          ('donations_count', donations::numeric, donations),
          ('donations_amount_cfa', amount::numeric, donations),
          ('average_donation_cfa', CASE WHEN donations > 0 THEN round(amount::numeric / donations, 4) ELSE 0 END, donations),
          ('refund_rate', CASE WHEN donations > 0 THEN round(refunds::numeric / donations, 4) ELSE 0 END, refunds)
        ) AS m(metric_type, value, cnt))
      INSERT INTO analytics.business_metrics (metric_date, metric_type, metric_value, metric_count, dimensions,
          previous_period_value, period_over_period_change)
      SELECT $1::date, m.metric_type, m.value, m.cnt, m.dims, p.metric_value,
             CASE WHEN p.metric_value IS NOT NULL AND p.metric_value <> 0
                  THEN round((m.value - p.metric_value) / p.metric_value, 4) END
      FROM metrics m
      LEFT JOIN analytics.business_metrics p ON p.metric_date = $1::date - 1 AND p.metric_type = m.metric_type
           AND p.dimensions IS NOT DISTINCT FROM m.dims
      ON CONFLICT (metric_date, metric_type, dimensions) DO UPDATE SET metric_value = EXCLUDED.metric_value,
          metric_count = EXCLUDED.metric_count, previous_period_value = EXCLUDED.previous_period_value,
          period_over_period_change = EXCLUDED.period_over_period_change""";

  private final Pool pool;
  private final Clock clock;
  private final Funnels funnels;

  BusinessMetrics(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
    this.funnels = new Funnels(pool);
  }

  Future<Boolean> runForYesterday() {
    return DailyJobs.runForYesterday(pool, clock, "business_metrics", this::compute);
  }

  /** Metrics and funnels of one day. */
  Future<Integer> compute(LocalDate day) {
    Times.Day d = Times.dakarDay(day);
    return pool.preparedQuery(COMPUTE).execute(Tuple.of(day, d.start(), d.end())).map(r -> r.rowCount())
        .compose(n -> funnels.compute(day, d.start(), d.end()).map(n));
  }

  /** Back-fill: days in order (each day's "previous value" needs the day before). */
  Future<Integer> backfill(LocalDate from, LocalDate to) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      LocalDate day = d;
      chain = chain.compose(n -> compute(day).map(m -> n + 1));
    }
    return chain;
  }

  Future<JsonArray> read(LocalDate from, LocalDate to, String type) {
    return pool.preparedQuery("""
            SELECT metric_date, metric_type, metric_value, metric_count, dimensions, previous_period_value, period_over_period_change
            FROM analytics.business_metrics WHERE metric_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR metric_type = $3)
            ORDER BY metric_date, metric_type, dimensions NULLS FIRST""").execute(Tuple.of(from, to, type)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("date", r.getLocalDate("metric_date").toString())
              .put("metric_type", r.getString("metric_type")).put("value", r.getBigDecimal("metric_value").doubleValue())
              .put("count", r.getInteger("metric_count")).put("dimensions", r.getValue("dimensions"))
              .put("previous_value", r.getBigDecimal("previous_period_value") == null ? null : r.getBigDecimal("previous_period_value").doubleValue())
              .put("change", r.getBigDecimal("period_over_period_change") == null ? null : r.getBigDecimal("period_over_period_change").doubleValue())));
          return out;
        });
  }

  Funnels funnels() {
    return funnels;
  }
}
