package sn.wolo.platform.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The product's state as gauges, read from the database (a scrape never queries it). Backlogs —
 * events not yet relayed, deliveries waiting and parked per consumer, Wave webhooks not yet
 * processed — every {@code metrics.refresh-ms}: indexed, a few pages when nothing waits. States —
 * notifications by status and channel, donations, gifts and settlements by status — every
 * {@code metrics.states-refresh-ms}: they count whole tables (190 ms at 182,000 donations, growing
 * with them), and every instance reads them. One query per group; the values of the last refresh are served.
 */
public final class BusinessGauges {

  private static final Logger log = LoggerFactory.getLogger(BusinessGauges.class);
  private static final String BACKLOGS = """
      SELECT 'wolo_outbox_unpublished' AS name, '' AS k1, '' AS v1, count(*) AS value FROM platform.outbox WHERE published_at IS NULL
      UNION ALL SELECT 'wolo_event_deliveries', 'consumer', consumer || CASE WHEN parked_at IS NULL THEN '' ELSE '|parked' END, count(*)
        FROM platform.undelivered_events GROUP BY consumer, parked_at IS NULL
      UNION ALL SELECT 'wolo_webhooks_unprocessed', '', '', count(*) FROM donations.wave_webhook_events WHERE processed_at IS NULL AND NOT quarantined""";
  private static final String STATES = """
      SELECT 'wolo_notifications' AS name, 'status' AS k1, status || '|' || channel AS v1, count(*) AS value
        FROM notifications.notifications GROUP BY status, channel
      UNION ALL SELECT 'wolo_donations', 'status', status, count(*) FROM donations.donations GROUP BY status
      UNION ALL SELECT 'wolo_gifts', 'status', status, count(*) FROM redemption.qr_codes GROUP BY status
      UNION ALL SELECT 'wolo_settlements', 'status', status, count(*) FROM redemption.partner_settlements GROUP BY status""";

  private final MeterRegistry registry;
  /** By meter id (name and tags), under the query that reads it. */
  private final Map<String, Map<String, AtomicLong>> values = Map.of(BACKLOGS, new ConcurrentHashMap<>(), STATES, new ConcurrentHashMap<>());

  public BusinessGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Reads both groups now. */
  public Future<Void> refresh(Pool pool) {
    return Future.all(refresh(pool, BACKLOGS), refresh(pool, STATES)).mapEmpty();
  }

  public void start(Vertx vertx, Pool pool, long backlogsMs, long statesMs) {
    refresh(pool);
    vertx.setPeriodic(backlogsMs, t -> refresh(pool, BACKLOGS));
    vertx.setPeriodic(statesMs, t -> refresh(pool, STATES));
  }

  private Future<Void> refresh(Pool pool, String query) {
    Map<String, AtomicLong> group = values.get(query);
    return pool.query(query).execute().map(rows -> {
      group.values().forEach(v -> v.set(0));   // a state that emptied reads 0, not its last count
      for (Row r : rows) record(group, r.getString("name"), r.getString("k1"), r.getString("v1"), r.getLong("value"));
      return (Void) null;
    }).onFailure(e -> log.warn("business gauges not refreshed: {}", e.toString()));
  }

  private void record(Map<String, AtomicLong> group, String name, String key, String value, long count) {
    Tags tags = Tags.empty();
    if (!key.isEmpty()) {
      String[] parts = value.split("\\|", 2);
      tags = Tags.of(key, parts[0]);
      if (parts.length > 1) tags = tags.and(name.equals("wolo_notifications") ? "channel" : "state", parts[1]);
      else if (name.equals("wolo_event_deliveries")) tags = tags.and("state", "waiting");
    }
    String id = name + tags;
    Tags finalTags = tags;
    group.computeIfAbsent(id, k -> {
      AtomicLong holder = new AtomicLong();
      Gauge.builder(name, holder, AtomicLong::doubleValue).tags(finalTags).register(registry);
      return holder;
    }).set(count);
  }
}
