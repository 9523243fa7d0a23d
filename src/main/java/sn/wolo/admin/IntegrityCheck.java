package sn.wolo.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daily integrity check: every franc and every event accounted for. It is the one deliberate
 * reader across schemas (read-only, once a day): a domain cannot check its totals against the
 * ledger of another. What it finds goes to {@code admin.integrity_findings}, an alert-level log
 * line and the run's answer; it changes nothing else.
 *
 * <ul>
 *   <li>{@code pot_total}: a pot's {@code raised_cfa} = Σ its succeeded donations + its referral credit (refunded ones are
 *   {@code refunded}, so this is Σ succeeded − Σ refunds), ignoring pots with an event still in flight
 *   and pots older than 6 years (their donations may have been deleted by the 7-year retention);</li>
 *   <li>{@code donation_state}: a donation whose processed Wave webhook says "paid" is succeeded or refunded;</li>
 *   <li>{@code webhook_unprocessed}: no stored webhook left unprocessed (and not quarantined) past the threshold;</li>
 *   <li>{@code outbox_unpublished} / {@code event_undelivered}: no event left unrelayed, or unconsumed by a
 *   consumer (pending or parked), past the threshold.</li>
 * </ul>
 */
final class IntegrityCheck {

  private static final Logger log = LoggerFactory.getLogger(IntegrityCheck.class);

  private static final Map<String, String> CHECKS = new LinkedHashMap<>();

  static {
    CHECKS.put("pot_total", """
        SELECT p.id::text AS subject, (COALESCE(d.total, 0) + p.referral_credit_cfa)::text AS expected, p.raised_cfa::text AS actual, NULL AS detail
        FROM pots.pots p
        LEFT JOIN (SELECT pot_id, sum(amount_cfa) AS total FROM donations.donations WHERE status = 'succeeded' GROUP BY pot_id) d
               ON d.pot_id = p.id
        WHERE p.raised_cfa <> COALESCE(d.total, 0) + p.referral_credit_cfa
          AND p.created_at > now() - interval '6 years'   -- older pots' donations may be gone (7-year financial retention)
          AND NOT EXISTS (SELECT 1 FROM platform.outbox o WHERE o.published_at IS NULL AND o.payload ->> 'pot_id' = p.id::text)
          AND NOT EXISTS (SELECT 1 FROM platform.undelivered_events ed JOIN platform.outbox o ON o.event_id = ed.event_id
                          WHERE ed.consumer = 'pot.funding' AND ed.parked_at IS NULL AND o.payload ->> 'pot_id' = p.id::text)
        ORDER BY p.id LIMIT 1000""");
    CHECKS.put("donation_state", """
        SELECT d.id::text AS subject, 'succeeded' AS expected, d.status AS actual, 'webhook ' || w.wave_event_id AS detail
        FROM donations.wave_webhook_events w JOIN donations.donations d ON d.id = w.donation_id
        WHERE w.event_type = 'checkout.session.completed' AND w.processed_at IS NOT NULL AND w.processing_error IS NULL
          AND NOT w.quarantined AND w.raw_payload -> 'data' ->> 'payment_status' = 'succeeded'
          AND d.status NOT IN ('succeeded', 'refunded')
        ORDER BY d.id LIMIT 1000""");
    CHECKS.put("webhook_unprocessed", """
        SELECT wave_event_id AS subject, 'processed' AS expected, 'unprocessed' AS actual, processing_error AS detail
        FROM donations.wave_webhook_events
        WHERE processed_at IS NULL AND NOT quarantined AND created_at < now() - make_interval(mins => $1)
        ORDER BY created_at LIMIT 1000""");
    CHECKS.put("outbox_unpublished", """
        SELECT event_id::text AS subject, 'published' AS expected, 'unpublished' AS actual, event_type AS detail
        FROM platform.outbox WHERE published_at IS NULL AND occurred_at < now() - make_interval(mins => $1)
        ORDER BY id LIMIT 1000""");
    CHECKS.put("event_undelivered", """
        SELECT event_id::text AS subject, 'consumed' AS expected, CASE WHEN parked_at IS NULL THEN 'pending' ELSE 'parked' END AS actual,
               consumer || ': ' || COALESCE(last_error, '') AS detail
        FROM platform.undelivered_events WHERE waiting_since < now() - make_interval(mins => $1)
        ORDER BY waiting_since LIMIT 1000""");
  }

  private static final String RECORD = """
      INSERT INTO admin.integrity_findings (run_at, check_name, subject, expected, actual, detail)
      SELECT $1, unnest($2::varchar[]), unnest($3::varchar[]), unnest($4::text[]), unnest($5::text[]), unnest($6::text[])""";
  private static final String READ = """
      SELECT run_at, check_name, subject, expected, actual, detail FROM admin.integrity_findings
      ORDER BY run_at DESC, id LIMIT $1""";

  private final Pool pool;
  private final int staleMinutes;

  IntegrityCheck(Pool pool, int staleMinutes) {
    this.pool = pool;
    this.staleMinutes = staleMinutes;
  }

  /** Runs every check, records and logs what it found; answers {@code {"run_at","counts":{…},"findings":[…]}}. */
  Future<JsonObject> run() {
    OffsetDateTime runAt = OffsetDateTime.now(ZoneOffset.UTC);
    return pool.withTransaction(tx -> runChecks(tx, runAt)).map(findings -> {
      JsonObject counts = new JsonObject();
      CHECKS.keySet().forEach(c -> counts.put(c, 0));
      for (int i = 0; i < findings.size(); i++) {
        String check = findings.getJsonObject(i).getString("check");
        counts.put(check, counts.getInteger(check) + 1);
      }
      if (!findings.isEmpty()) {
        log.error("ALERT integrity check found {} mismatches: {}", findings.size(), counts.encode());
      } else {
        log.info("integrity check: everything adds up");
      }
      return new JsonObject().put("run_at", runAt.toInstant().toString()).put("counts", counts).put("findings", findings);
    });
  }

  private Future<JsonArray> runChecks(SqlConnection tx, OffsetDateTime runAt) {
    JsonArray findings = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (var check : CHECKS.entrySet()) {
      boolean takesThreshold = check.getValue().contains("$1");
      chain = chain.compose(v -> (takesThreshold ? tx.preparedQuery(check.getValue()).execute(Tuple.of(staleMinutes))
              : tx.query(check.getValue()).execute())
          .map(rows -> {
            for (Row r : rows) findings.add(finding(check.getKey(), r));
            return null;
          }));
    }
    return chain.compose(v -> findings.isEmpty() ? Future.succeededFuture() : record(tx, runAt, findings)).map(findings);
  }

  private static JsonObject finding(String check, Row r) {
    return new JsonObject().put("check", check).put("subject", r.getString("subject"))
        .put("expected", r.getString("expected")).put("actual", r.getString("actual")).put("detail", r.getString("detail"));
  }

  private static Future<Void> record(SqlConnection tx, OffsetDateTime runAt, JsonArray findings) {
    int n = findings.size();
    String[][] columns = new String[5][n];
    List<String> keys = List.of("check", "subject", "expected", "actual", "detail");
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < keys.size(); c++) columns[c][i] = findings.getJsonObject(i).getString(keys.get(c));
    }
    return tx.preparedQuery(RECORD).execute(Tuple.of(runAt, columns[0], columns[1], columns[2], columns[3], columns[4])).mapEmpty();
  }

  Future<JsonObject> findings(int limit) {
    return pool.preparedQuery(READ).execute(Tuple.of(limit)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(new JsonObject().put("run_at", r.getOffsetDateTime("run_at").toInstant().toString())
          .put("check", r.getString("check_name")).put("subject", r.getString("subject"))
          .put("expected", r.getString("expected")).put("actual", r.getString("actual")).put("detail", r.getString("detail"))));
      return new JsonObject().put("findings", out);
    });
  }
}
