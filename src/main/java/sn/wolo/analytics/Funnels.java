package sn.wolo.analytics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The two funnels of the business, per day: for each step, the users who reached the previous step
 * that day (entered) and those of them who then reached this step by the end of the day (completed).
 */
final class Funnels {

  static final Map<String, List<String>> STEPS = Map.of(
      "pot_creation", List.of("user_signed_up", "pot_created", "pot_opened"),
      "sponsorship_conversion", List.of("referral_sent", "referral_accepted", "pot_created"));

  private static final String STEP = """
      WITH entered AS (
        SELECT user_id, min("timestamp") AS at FROM analytics.analytics_events
        WHERE event_name = $1 AND user_id IS NOT NULL AND "timestamp" >= $3 AND "timestamp" < $4 GROUP BY user_id)
      SELECT (SELECT count(*) FROM entered) AS entered,
             (SELECT count(*) FROM entered e WHERE EXISTS (SELECT 1 FROM analytics.analytics_events b
                 WHERE b.user_id = e.user_id AND b.event_name = $2 AND b."timestamp" >= e.at AND b."timestamp" < $4)) AS completed""";
  private static final String UPSERT = """
      INSERT INTO analytics.funnel_analytics (funnel_name, step_number, step_name, period_start, period_end, users_entered,
          users_completed, completion_rate)
      VALUES ($1, $2, $3, $4, $4, $5, $6, $7)
      ON CONFLICT (funnel_name, step_number, period_start, period_end, segment_filters) DO UPDATE SET
          users_entered = EXCLUDED.users_entered, users_completed = EXCLUDED.users_completed, completion_rate = EXCLUDED.completion_rate""";

  private final Pool pool;

  Funnels(Pool pool) {
    this.pool = pool;
  }

  Future<Void> compute(LocalDate day, OffsetDateTime start, OffsetDateTime end) {
    Future<Void> chain = Future.succeededFuture();
    for (var funnel : STEPS.entrySet()) {
      List<String> steps = funnel.getValue();
      for (int i = 0; i < steps.size(); i++) {
        int step = i + 1;
        String previous = steps.get(Math.max(0, i - 1));
        String current = steps.get(i);
        chain = chain.compose(v -> pool.preparedQuery(STEP).execute(Tuple.of(previous, current, start, end)).compose(rows -> {
          var r = rows.iterator().next();
          long entered = r.getLong("entered");
          long completed = r.getLong("completed");
          return pool.preparedQuery(UPSERT).execute(Tuple.from(new Object[] {funnel.getKey(), step, current, day, (int) entered,
              (int) completed, entered == 0 ? null : java.math.BigDecimal.valueOf(completed).divide(java.math.BigDecimal.valueOf(entered), 4,
              java.math.RoundingMode.HALF_UP)})).mapEmpty();
        }));
      }
    }
    return chain;
  }

  Future<JsonArray> read(String name, LocalDate from, LocalDate to) {
    return pool.preparedQuery("""
            SELECT period_start, step_number, step_name, users_entered, users_completed, completion_rate
            FROM analytics.funnel_analytics WHERE funnel_name = $1 AND period_start BETWEEN $2 AND $3 AND segment_filters IS NULL
            ORDER BY period_start, step_number""").execute(Tuple.of(name, from, to)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("date", r.getLocalDate("period_start").toString())
              .put("step", r.getInteger("step_number")).put("step_name", r.getString("step_name"))
              .put("entered", r.getInteger("users_entered")).put("completed", r.getInteger("users_completed"))
              .put("completion_rate", r.getBigDecimal("completion_rate") == null ? null : r.getBigDecimal("completion_rate").doubleValue())));
          return out;
        });
  }
}
