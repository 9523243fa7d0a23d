package sn.wolo.platform.events;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.config.WoloConfig;
import sn.wolo.platform.http.IdempotencyKeys;
import sn.wolo.platform.AppContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Relays committed outbox rows, in id order: to Kafka (when configured; topic
 * {@code wolo.<domain>.events}, keyed by aggregate id), then marks them published with the batch's
 * number ({@code relay_batch}), which is what {@link EventConsumer}s read after their cursors.
 * After the commit it publishes them on the event bus ({@code wolo.events.<type>}, a signal for
 * listeners that need no guarantee) and nudges the consumers. A crash before the commit means a
 * second Kafka send, never a lost event: at-least-once to Kafka, durable deliveries to consumers.
 *
 * <p>A transaction-scoped advisory lock (held until the commit) lets one relay of the cluster work
 * at a time: that keeps the global order, and makes batches visible in their numbers' order, so a
 * consumer's cursor never passes a batch that commits later. The others find the lock taken and
 * wait for the next tick.
 */
public final class OutboxRelayVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelayVerticle.class);
  private static final long RELAY_LOCK = 0x574F4C4F_0001L;   // "WOLO" + 1

  private static final String CLAIM = """
      SELECT id, event_id, event_type, aggregate_type, aggregate_id, payload, occurred_at, traceparent
      FROM platform.outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED""";
  // Numbers the batch, and moves the heads of its event types there (V32: what a consumer's poll reads).
  private static final String MARK = """
      WITH batch AS (SELECT nextval('platform.outbox_relay_batches') AS n),
           marked AS (UPDATE platform.outbox SET published_at = now(), attempts = attempts + 1, relay_batch = batch.n
                      FROM batch WHERE id = ANY($1) RETURNING event_type, relay_batch, id)
      INSERT INTO platform.outbox_type_heads (event_type, relay_batch, outbox_id)
      SELECT DISTINCT ON (event_type) event_type, relay_batch, id FROM marked ORDER BY event_type, id DESC
      ON CONFLICT (event_type) DO UPDATE SET relay_batch = EXCLUDED.relay_batch, outbox_id = EXCLUDED.outbox_id""";
  // An event still owed to a consumer (a retry row, pending or parked, or a subscriber's cursor not yet past it) is kept whatever its age.
  private static final String PURGE = """
      DELETE FROM platform.outbox WHERE id IN (SELECT o.id FROM platform.outbox o
      WHERE o.published_at < $1
        AND NOT EXISTS (SELECT 1 FROM platform.event_cursors c JOIN platform.event_subscriptions s ON s.consumer = c.consumer
                        WHERE s.event_type = o.event_type AND (c.relay_batch, c.outbox_id) < (o.relay_batch, o.id))
        AND NOT EXISTS (SELECT 1 FROM platform.event_deliveries d WHERE d.event_id = o.event_id) LIMIT 10000)""";

  // Consumers' dedupe records outlive the events they dedupe (a replay within a month changes nothing).
  private static final int PROCESSED_RETENTION_DAYS = 30;
  private static final String PURGE_PROCESSED = """
      DELETE FROM platform.processed_events WHERE ctid IN (SELECT ctid FROM platform.processed_events
      WHERE processed_at < now() - make_interval(days => $1) LIMIT 10000)""";

  private final WoloConfig config;
  private final Pool sharedPool;
  private final java.time.Clock clock;
  private Pool pool;
  private KafkaBatchSender kafka;
  private long pollTimer;
  private long purgeTimer;
  private boolean running;

  public OutboxRelayVerticle(AppContext app) {
    this.config = app.config();
    this.sharedPool = app.pool();
    this.clock = app.clock();
  }

  /** Operations and tests: purge published events past their retention now ({@code {"purged"}}). */
  public static final String PURGE_NOW = "wolo.platform.outbox-purge";

  @Override
  public Future<?> start() {
    pool = sharedPool;
    KafkaSettings.bootstrap(config).ifPresent(bootstrap -> kafka = new KafkaBatchSender(bootstrap));
    pollTimer = vertx.setPeriodic(config.integer("outbox.poll-ms"), id -> drain());
    purgeTimer = vertx.setPeriodic(3_600_000, id -> purge());
    sn.wolo.platform.bus.Bus.serve(vertx, PURGE_NOW, req -> purge().map(n -> new io.vertx.core.json.JsonObject().put("purged", n)));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(purgeTimer);
    Future<Void> closeProducer = kafka == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> {
          kafka.close(java.time.Duration.ofSeconds(10));
          return null;
        }, true);
    return closeProducer;
  }

  /** Relays batches until the outbox is empty (or a batch fails); at most one drain runs at a time. */
  private void drain() {
    if (running) return;
    running = true;
    relayBatch()
        .onComplete(ar -> {
          running = false;
          if (ar.failed()) {
            log.warn("outbox relay failed, will retry: {}", ar.cause().toString());
          } else if (ar.result() == config.integer("outbox.batch-size")) {
            vertx.runOnContext(v -> drain());   // a full batch: more may be waiting
          }
        });
  }

  /** One transaction: lock, claim a batch, publish it, mark it with its number. Returns how many were published. */
  Future<Integer> relayBatch() {
    return pool.withTransaction(conn -> conn.query("SELECT pg_try_advisory_xact_lock(" + RELAY_LOCK + ")").execute()
            .compose(locked -> locked.iterator().next().getBoolean(0) ? claimAndRelay(conn) : Future.succeededFuture(List.<DomainEvent>of())))
        .map(events -> {
          if (!events.isEmpty()) {
            events.forEach(e -> vertx.eventBus().publish(Addresses.event(e.type()), e.toJson()));
            vertx.eventBus().publish(EventConsumer.DELIVERIES_READY, null);
          }
          return events.size();
        });
  }

  private Future<List<DomainEvent>> claimAndRelay(SqlConnection conn) {
    return conn.preparedQuery(CLAIM).execute(Tuple.of(config.integer("outbox.batch-size")))
        .compose(rows -> {
          if (rows.size() == 0) return Future.succeededFuture(List.of());
          List<DomainEvent> events = new ArrayList<>(rows.size());
          List<String> traces = new ArrayList<>(rows.size());
          Long[] ids = new Long[rows.size()];
          int i = 0;
          for (Row r : rows) {
            events.add(Outbox.toEvent(r));
            traces.add(sn.wolo.platform.tracing.Tracing.sane(r.getString("traceparent")));
            ids[i++] = r.getLong("id");
          }
          return sendToKafka(events, traces)
              .compose(v -> conn.preparedQuery(MARK).execute(Tuple.of(ids)))
              .map(v -> events);
        });
  }

  /** One ordered worker task sends the batch as one Kafka transaction (see {@link KafkaBatchSender}). */
  private Future<Void> sendToKafka(List<DomainEvent> events, List<String> traces) {
    if (kafka == null) return Future.succeededFuture();
    return vertx.executeBlocking(() -> {
      kafka.send(events, traces);
      return null;
    }, true);
  }

  /** Published events older than the retention (by the application clock) go, unless a consumer still has to take them. */
  private Future<Integer> purge() {
    var cutoff = clock.instant().minus(java.time.Duration.ofDays(config.integer("outbox.retention-days"))).atOffset(java.time.ZoneOffset.UTC);
    return pool.preparedQuery(PURGE).execute(Tuple.of(cutoff))
        .onSuccess(r -> { if (r.rowCount() > 0) log.info("purged {} published outbox rows", r.rowCount()); })
        .compose(purged -> pool.preparedQuery(PURGE_PROCESSED).execute(Tuple.of(PROCESSED_RETENTION_DAYS))
            // The relay's hourly timer also expires client idempotency keys (24 h): one singleton of platform housekeeping.
            .compose(v -> IdempotencyKeys.purge(pool))
            .compose(v -> sn.wolo.platform.http.SharedRateLimit.purge(pool, clock)).map(v -> purged.rowCount()))
        .onFailure(e -> log.warn("outbox purge failed: {}", e.toString()));
  }

}
