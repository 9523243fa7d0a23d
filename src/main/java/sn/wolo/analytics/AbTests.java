package sn.wolo.analytics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.errors.DomainException;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A/B tests: definitions (admins), exposure records, and results with a two-proportion z-test. */
final class AbTests {

  private static final String RESULTS = """
      SELECT a.variant, count(*) AS exposed,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM analytics.analytics_events e
                 WHERE e.event_name = $2 AND e."timestamp" >= a.assigned_at
                   AND ((a.user_id IS NOT NULL AND e.user_id = a.user_id) OR (a.anonymous_id IS NOT NULL AND e.anonymous_id = a.anonymous_id)))) AS converted
      FROM analytics.ab_test_assignments a WHERE a.test_id = $1 GROUP BY a.variant""";

  private final Pool pool;
  private final Clock clock;
  private final double confidence;

  AbTests(Pool pool, Clock clock, double confidence) {
    this.pool = pool;
    this.clock = clock;
    this.confidence = confidence;
  }

  /** NOTIFY channel: a test started, paused or completed in some process. */
  static final String CHANGED_CHANNEL = "wolo_ab_changed";

  Future<JsonObject> create(JsonObject in) {
    String name = in.getValue("test_name") instanceof String s && s.matches("[a-z][a-z0-9_]{1,99}") ? s : null;
    if (name == null) throw DomainException.invalid("invalid_test_name", "test_name is snake_case, 2-100 characters.");
    JsonObject variants = in.getValue("variants") instanceof JsonObject v ? v : null;
    JsonObject allocation = in.getValue("traffic_allocation") instanceof JsonObject a ? a : null;
    if (variants == null || variants.size() < 2) throw DomainException.invalid("invalid_variants", "At least two variants are needed.");
    if (!Assignments.validAllocation(allocation) || !allocation.fieldNames().equals(variants.fieldNames())) {
      throw DomainException.invalid("invalid_traffic_allocation", "traffic_allocation names every variant and sums to 1.");
    }
    String metric = in.getValue("primary_metric") instanceof String m && EventValidator.NAME.matcher(m).matches() ? m : null;
    if (metric == null) throw DomainException.invalid("invalid_primary_metric", "primary_metric is the event name that counts as a conversion.");
    LocalDate start = Times.dakarToday(clock);
    return pool.preparedQuery("""
            INSERT INTO analytics.ab_tests (test_name, description, variants, traffic_allocation, primary_metric, start_date)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""")
        .execute(Tuple.of(name, in.getString("description"), variants, allocation, metric, start))
        .map(rows -> new JsonObject().put("id", rows.iterator().next().getUUID("id").toString()).put("test_name", name).put("status", "draft"))
        .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? Future.failedFuture(DomainException.conflict("test_exists", "A test with this name exists.")) : Future.failedFuture(e));
  }

  /** Every process's running tests follow: the change and its NOTIFY commit together. */
  Future<JsonObject> setStatus(String name, String status) {
    return pool.withTransaction(tx -> tx.preparedQuery("UPDATE analytics.ab_tests SET status = $2 WHERE test_name = $1 RETURNING test_name, status")
        .execute(Tuple.of(name, status)).compose(rows -> {
          if (rows.size() == 0) return Future.failedFuture(DomainException.notFound("test_not_found", "No such test."));
          return tx.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANGED_CHANNEL, name))
              .map(v -> new JsonObject().put("test_name", name).put("status", status));
        }));
  }

  /** Running tests, for the edge's in-memory cache: {@code {"tests":{name:{"id","traffic_allocation"}}}}. */
  Future<JsonObject> running() {
    return pool.query("SELECT id, test_name, traffic_allocation FROM analytics.ab_tests WHERE status = 'running'").execute().map(rows -> {
      JsonObject tests = new JsonObject();
      rows.forEach(r -> tests.put(r.getString("test_name"), new JsonObject().put("id", r.getUUID("id").toString())
          .put("traffic_allocation", r.getValue("traffic_allocation"))));
      return new JsonObject().put("tests", tests);
    });
  }

  /** Records an exposure once per subject (the assignment itself needs no storage: it is a hash). */
  Future<Void> recordExposure(JsonObject e) {
    return pool.preparedQuery("""
            INSERT INTO analytics.ab_test_assignments (test_id, user_id, anonymous_id, variant, assigned_at)
            VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(UUID.fromString(e.getString("test_id")), e.getString("user_id") == null ? null : UUID.fromString(e.getString("user_id")),
            e.getString("anonymous_id"), e.getString("variant"))).mapEmpty();
  }

  /** Per-variant conversion, difference and confidence against the control; a winner only above the configured confidence. */
  Future<JsonObject> results(String name) {
    return pool.preparedQuery("SELECT id, primary_metric, traffic_allocation FROM analytics.ab_tests WHERE test_name = $1")
        .execute(Tuple.of(name)).compose(rows -> {
          if (rows.size() == 0) throw DomainException.notFound("test_not_found", "No such test.");
          Row t = rows.iterator().next();
          return pool.preparedQuery(RESULTS).execute(Tuple.of(t.getUUID("id"), t.getString("primary_metric"))).compose(stats -> {
            JsonObject counts = new JsonObject();
            stats.forEach(r -> counts.put(r.getString("variant"), new JsonObject().put("exposed", r.getLong("exposed"))
                .put("converted", r.getLong("converted"))));
            JsonObject result = analyse(((JsonObject) t.getValue("traffic_allocation")).fieldNames(), counts, confidence);
            return pool.preparedQuery("UPDATE analytics.ab_tests SET results = $2, winner_variant = $3, confidence_level = $4 WHERE id = $1")
                .execute(Tuple.of(t.getUUID("id"), result, result.getString("winner"), result.getDouble("winner_confidence")))
                .map(result.put("test_name", name));
          });
        });
  }

  /** Pure statistics over {@code {variant:{"exposed","converted"}}}; "control" (or the first name) is the baseline. */
  static JsonObject analyse(java.util.Set<String> variantNames, JsonObject counts, double threshold) {
    List<String> names = new ArrayList<>(variantNames);
    names.sort(String::compareTo);
    String control = names.contains("control") ? "control" : names.get(0);
    JsonObject c = counts.getJsonObject(control, new JsonObject().put("exposed", 0L).put("converted", 0L));
    JsonArray variants = new JsonArray();
    String winner = null;
    double winnerConfidence = 0;
    for (String v : names) {
      JsonObject s = counts.getJsonObject(v, new JsonObject().put("exposed", 0L).put("converted", 0L));
      long n = s.getLong("exposed");
      long x = s.getLong("converted");
      JsonObject row = new JsonObject().put("variant", v).put("exposed", n).put("converted", x)
          .put("conversion_rate", n == 0 ? 0.0 : (double) x / n);
      if (!v.equals(control)) {
        ZTest.Result z = ZTest.compare(c.getLong("converted"), c.getLong("exposed"), x, n);
        double diff = row.getDouble("conversion_rate") - (c.getLong("exposed") == 0 ? 0.0 : (double) c.getLong("converted") / c.getLong("exposed"));
        row.put("difference_vs_control", diff).put("z", z.z()).put("confidence", z.confidence());
        if (z.confidence() >= threshold && z.confidence() > winnerConfidence) {
          winner = diff > 0 ? v : control;
          winnerConfidence = z.confidence();
        }
      }
      variants.add(row);
    }
    return new JsonObject().put("control", control).put("variants", variants).put("winner", winner)
        .put("winner_confidence", winner == null ? null : winnerConfidence).put("confidence_threshold", threshold);
  }
}
