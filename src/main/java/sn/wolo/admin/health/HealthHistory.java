package sn.wolo.admin.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every minute, once across instances (the first to claim the minute probes): each dependency's status and response time into
 * {@code admin.system_health_checks} (database, Kafka, Wave, SMS, WhatsApp, email), an ALERT log
 * line when one changes state, rows older than 30 days deleted in the same run.
 */
public final class HealthHistory {

  private static final Logger log = LoggerFactory.getLogger(HealthHistory.class);
  private static final long TIMEOUT_MS = 5_000;
  private static final String CLAIM = "SELECT pg_try_advisory_xact_lock(hashtext('wolo-health-history')) AS claimed, "
      + "(SELECT max(checked_at) FROM admin.system_health_checks) AS last";
  private static final String LATEST = """
      SELECT DISTINCT ON (service_name) service_name, status FROM admin.system_health_checks
      WHERE checked_at > $1 ORDER BY service_name, checked_at DESC""";
  private static final String INSERT = """
      INSERT INTO admin.system_health_checks (service_name, check_name, status, response_time_ms, check_data, error_message, checked_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";
  private static final String PRUNE = "DELETE FROM admin.system_health_checks WHERE checked_at < $1";
  private static final String PAGE = """
      SELECT service_name, check_name, status, response_time_ms, check_data, error_message, checked_at FROM admin.system_health_checks
      WHERE ($1::text IS NULL OR service_name = $1) AND ($2::timestamptz IS NULL OR checked_at >= $2)
      ORDER BY checked_at DESC, service_name LIMIT $3""";

  /** One observation of one dependency. */
  record Check(String service, String status, Integer responseTimeMs, JsonObject data, String error) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final KafkaAdminClient kafka;

  /** {@code kafka} null: Kafka is not configured and not checked. */
  public HealthHistory(Vertx vertx, Pool pool, Clock clock, KafkaAdminClient kafka) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.kafka = kafka;
  }

  /**
   * Claims the minute, then probes and records, unless another instance did within the last 50 s:
   * {@code {"recorded", "changes":[…]}}. The claim comes first so only the winner asks Wave and
   * reads (and resets) the channels' counts; the transaction holds it while the probes run (≤ 5 s).
   */
  public Future<JsonObject> run() {
    OffsetDateTime now = Times.now(clock);
    return pool.withTransaction(tx -> tx.query(CLAIM).execute().compose(claim -> {
      Row c = claim.iterator().next();
      OffsetDateTime last = c.getOffsetDateTime("last");
      if (!c.getBoolean("claimed") || (last != null && last.isAfter(now.minusSeconds(50)) && !last.isAfter(now))) {
        return Future.succeededFuture(new JsonObject().put("recorded", 0).put("changes", new JsonArray()));
      }
      return probes().compose(checks -> record(tx, checks, now));
    }));
  }

  private Future<JsonObject> record(SqlConnection tx, List<Check> checks, OffsetDateTime now) {
    return tx.preparedQuery(LATEST).execute(Tuple.of(now.minusDays(1))).compose(rows -> {
      Map<String, String> before = new HashMap<>();
      rows.forEach(r -> before.put(r.getString("service_name"), r.getString("status")));
      List<Tuple> inserts = new ArrayList<>();
      JsonArray changes = new JsonArray();
      for (Check ch : checks) {
        inserts.add(Tuple.from(new Object[] {ch.service(), "probe", ch.status(), ch.responseTimeMs(), ch.data(), ch.error(), now}));
        String was = before.get(ch.service());
        if (was != null && !was.equals(ch.status())) {
          changes.add(new JsonObject().put("service", ch.service()).put("from", was).put("to", ch.status()));
          log.error("ALERT health of {} changed: {} → {}", ch.service(), was, ch.status());
        }
      }
      return tx.preparedQuery(INSERT).executeBatch(inserts)
          .compose(v -> tx.preparedQuery(PRUNE).execute(Tuple.of(now.minusDays(30))))
          .map(pruned -> new JsonObject().put("recorded", inserts.size()).put("changes", changes).put("pruned", pruned.rowCount()));
    });
  }

  /** {@code GET /v1/admin/health/history}: newest first. */
  public Future<JsonObject> page(String service, OffsetDateTime from, int limit) {
    return pool.preparedQuery(PAGE).execute(Tuple.of(service, from, limit)).map(rows -> {
      JsonArray items = new JsonArray();
      rows.forEach(r -> items.add(new JsonObject().put("service", r.getString("service_name")).put("status", r.getString("status"))
          .put("response_time_ms", r.getInteger("response_time_ms")).put("data", r.getValue("check_data"))
          .put("error", r.getString("error_message")).put("checked_at", r.getOffsetDateTime("checked_at").toInstant().toString())));
      return new JsonObject().put("items", items);
    });
  }

  private Future<List<Check>> probes() {
    List<Future<List<Check>>> all = List.of(database(), kafka(), providers("donation"), providers("notification"));
    return Future.join(all).transform(done -> {
      List<Check> out = new ArrayList<>();
      all.forEach(f -> {
        if (f.succeeded()) out.addAll(f.result());
      });
      return Future.succeededFuture(out);
    });
  }

  private Future<List<Check>> database() {
    long started = System.nanoTime();
    return pool.query("SELECT 1").execute().timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(r -> List.of(new Check("database", "healthy", elapsed(started), null, null)))
        .recover(e -> Future.succeededFuture(List.of(new Check("database", "unhealthy", elapsed(started), null, e.getClass().getSimpleName()))));
  }

  private Future<List<Check>> kafka() {
    if (kafka == null) return Future.succeededFuture(List.of());
    long started = System.nanoTime();
    return kafka.describeCluster().timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(c -> List.of(new Check("kafka", c.getNodes().isEmpty() ? "unhealthy" : "healthy", elapsed(started),
            new JsonObject().put("brokers", c.getNodes().size()), null)))
        .recover(e -> Future.succeededFuture(List.of(new Check("kafka", "unhealthy", elapsed(started), null, e.getClass().getSimpleName()))));
  }

  /** Outside providers as the domain that calls them sees them (Wave; SMS, WhatsApp, email). */
  private Future<List<Check>> providers(String domain) {
    return Bus.call(vertx, Addresses.dependencies(domain), new JsonObject()).map(deps -> {
      List<Check> out = new ArrayList<>();
      for (String name : deps.fieldNames()) {
        JsonObject d = deps.getJsonObject(name);
        out.add(new Check(name, d.getString("status"), d.getInteger("response_time_ms"), d, d.getString("error")));
      }
      return out;
    });
  }

  private static int elapsed(long started) {
    return (int) ((System.nanoTime() - started) / 1_000_000);
  }
}
