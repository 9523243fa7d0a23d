package sn.wolo.platform.events;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.config.WoloConfig;
import sn.wolo.platform.AppContext;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes committed outbox rows, in id order, to Kafka (when configured; topic
 * {@code wolo.<domain>.events}, keyed by aggregate id) and then to the event bus
 * ({@code wolo.events.<type>}), and only then marks them published. A crash in between means a
 * second delivery, never a lost one: at-least-once, so consumers are idempotent.
 *
 * <p>A transaction-scoped advisory lock lets one relay of the cluster work at a time, which keeps
 * the global order; the others find the lock taken and wait for the next tick.
 */
public final class OutboxRelayVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelayVerticle.class);
  private static final long RELAY_LOCK = 0x574F4C4F_0001L;   // "WOLO" + 1

  private static final String CLAIM = """
      SELECT id, event_id, event_type, aggregate_type, aggregate_id, payload, occurred_at
      FROM platform.outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED""";
  private static final String MARK = "UPDATE platform.outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)";
  private static final String PURGE = """
      DELETE FROM platform.outbox WHERE id IN (SELECT id FROM platform.outbox
      WHERE published_at < now() - make_interval(days => $1) LIMIT 10000)""";

  private final WoloConfig config;
  private final Pool sharedPool;
  private Pool pool;
  private KafkaProducer<String, String> producer;
  private long pollTimer;
  private long purgeTimer;
  private boolean running;

  public OutboxRelayVerticle(AppContext app) {
    this.config = app.config();
    this.sharedPool = app.pool();
  }

  @Override
  public Future<?> start() {
    pool = sharedPool;
    KafkaSettings.bootstrap(config).ifPresent(bootstrap ->
        producer = KafkaProducer.create(vertx, KafkaSettings.producer(bootstrap, "wolo-outbox-relay")));
    pollTimer = vertx.setPeriodic(config.integer("outbox.poll-ms"), id -> drain());
    purgeTimer = vertx.setPeriodic(3_600_000, id -> purge());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(purgeTimer);
    Future<Void> closeProducer = producer == null ? Future.succeededFuture() : producer.close();
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

  /** One transaction: lock, claim a batch, publish it, mark it. Returns how many were published. */
  Future<Integer> relayBatch() {
    return pool.withTransaction(conn -> conn.query("SELECT pg_try_advisory_xact_lock(" + RELAY_LOCK + ")").execute()
        .compose(locked -> locked.iterator().next().getBoolean(0) ? claimAndPublish(conn) : Future.succeededFuture(0)));
  }

  private Future<Integer> claimAndPublish(SqlConnection conn) {
    return conn.preparedQuery(CLAIM).execute(Tuple.of(config.integer("outbox.batch-size")))
        .compose(rows -> {
          if (rows.size() == 0) return Future.succeededFuture(0);
          List<DomainEvent> events = toEvents(rows);
          return sendToKafka(events)
              .compose(v -> {
                events.forEach(e -> vertx.eventBus().publish(Addresses.event(e.type()), e.toJson()));
                Long[] ids = new Long[rows.size()];
                int i = 0;
                for (Row r : rows) ids[i++] = r.getLong("id");
                return conn.preparedQuery(MARK).execute(Tuple.of(ids));
              })
              .map(v -> events.size());
        });
  }

  private Future<Void> sendToKafka(List<DomainEvent> events) {
    if (producer == null) return Future.succeededFuture();
    List<Future<?>> sends = new ArrayList<>(events.size());
    for (DomainEvent e : events) {
      sends.add(producer.send(KafkaProducerRecord.create(e.kafkaTopic(), e.aggregateId(), e.toJson().encode())));
    }
    return Future.all(sends).mapEmpty();
  }

  private static List<DomainEvent> toEvents(RowSet<Row> rows) {
    List<DomainEvent> events = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Object payload = r.getValue("payload");
      events.add(new DomainEvent(r.getUUID("event_id"), r.getString("event_type"), r.getString("aggregate_type"),
          r.getString("aggregate_id"), payload instanceof JsonObject o ? o : new JsonObject(),
          r.get(OffsetDateTime.class, "occurred_at").toInstant()));
    }
    return events;
  }

  private void purge() {
    pool.preparedQuery(PURGE).execute(Tuple.of(config.integer("outbox.retention-days")))
        .onSuccess(r -> { if (r.rowCount() > 0) log.info("purged {} published outbox rows", r.rowCount()); })
        .onFailure(e -> log.warn("outbox purge failed: {}", e.toString()));
  }
}
