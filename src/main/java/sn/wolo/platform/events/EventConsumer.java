package sn.wolo.platform.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.scheduling.DueWorkSweeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A durable consumer of domain events: at-least-once delivery, exactly-once effect.
 *
 * <p>At start it records its subscription ({@code platform.event_subscriptions}); from then on the
 * outbox relay writes one {@code platform.event_deliveries} row per matching event, in the
 * transaction that marks the event published. This class claims its due rows (a lease, so
 * instances share the work), and applies each event in ONE transaction that deletes the delivery
 * row, records the event in {@code platform.processed_events} and runs the handler: the effect
 * commits with them or not at all, and a second delivery (or a replay) finds the event recorded
 * and does nothing. A failed handler rolls back; the row is retried with
 * exponential backoff and parked after {@link EventSettings#maxAttempts()} attempts (with its
 * error, listed for admins, logged at error level) without blocking the events behind it.
 *
 * <p>A {@link Reaction} (effects outside the database: bus calls, messages) holds no connection
 * while it runs and must be idempotent by itself; its delivery goes only after it succeeded.
 */
public final class EventConsumer {

  /** Applies one event; {@code tx} is the transaction that also removes the delivery (exactly-once effect). */
  @FunctionalInterface
  public interface Handler {
    Future<Void> handle(SqlConnection tx, DomainEvent event);
  }

  /**
   * Reacts to one event with effects outside this consumer's transaction (bus calls, messages, other
   * pools): it holds no connection while it runs, and must be idempotent by itself (dedupe keys),
   * since a crash between its effect and the removal of the delivery means a second run.
   */
  @FunctionalInterface
  public interface Reaction {
    Future<Void> react(DomainEvent event);
  }

  /** Published by the relay after it committed new deliveries: consumers drain at once instead of waiting for their tick. */
  public static final String DELIVERIES_READY = "wolo.platform.deliveries-ready";

  private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);

  private static final String SUBSCRIBE = """
      INSERT INTO platform.event_subscriptions (consumer, event_type) SELECT $1, unnest($2::varchar[])
      ON CONFLICT DO NOTHING""";
  private static final String UNSUBSCRIBE_STALE = "DELETE FROM platform.event_subscriptions WHERE consumer = $1 AND NOT (event_type = ANY($2))";
  private static final String CLAIM = """
      WITH claimed AS (
        UPDATE platform.event_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $3)
        WHERE (d.consumer, d.event_id) IN (
          SELECT consumer, event_id FROM platform.event_deliveries
          WHERE consumer = $1 AND parked_at IS NULL AND next_attempt_at <= now()
          ORDER BY outbox_id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING d.event_id, d.attempts, d.outbox_id)
      SELECT c.attempts, o.event_id, o.event_type, o.aggregate_type, o.aggregate_id, o.payload, o.occurred_at
      FROM claimed c JOIN platform.outbox o ON o.event_id = c.event_id ORDER BY c.outbox_id""";
  // Removes the delivery and records the event as applied by this consumer: no row back means
  // another instance took it, or it was applied before (a replayed delivery) — nothing to do.
  private static final String TAKE = """
      WITH taken AS (DELETE FROM platform.event_deliveries WHERE consumer = $1 AND event_id = $2 RETURNING consumer, event_id)
      INSERT INTO platform.processed_events (consumer, event_id) SELECT consumer, event_id FROM taken
      ON CONFLICT DO NOTHING RETURNING event_id""";
  private static final String SEEN = "SELECT 1 FROM platform.processed_events WHERE consumer = $1 AND event_id = $2";
  private static final String FAILED = """
      UPDATE platform.event_deliveries SET last_error = left($3, 2000), next_attempt_at = now() + make_interval(secs => $4),
             parked_at = CASE WHEN attempts >= $5 THEN now() END
      WHERE consumer = $1 AND event_id = $2 RETURNING parked_at IS NOT NULL AS parked""";

  private final Vertx vertx;
  private final Pool pool;
  private final String name;
  private final Set<String> eventTypes;
  private final Handler handler;
  private final Reaction reaction;
  /** Batched consumers only: the key whose events share a lane (and whose rows only that lane locks). */
  private final java.util.function.Function<DomainEvent, String> laneKey;
  private final EventSettings settings;
  private DueWorkSweeper sweeper;
  private MessageConsumer<Object> nudges;

  private EventConsumer(Vertx vertx, Pool pool, EventSettings settings, String name, Set<String> eventTypes, Handler handler,
                        Reaction reaction, java.util.function.Function<DomainEvent, String> laneKey) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.name = name;
    this.eventTypes = Set.copyOf(eventTypes);
    this.handler = handler;
    this.reaction = reaction;
    this.laneKey = laneKey;
  }

  /** A consumer whose effect is in the database, applied in the delivery's transaction. */
  public static EventConsumer transactional(Vertx vertx, Pool pool, EventSettings settings, String name, Set<String> types, Handler handler) {
    return new EventConsumer(vertx, pool, settings, name, types, handler, null, null);
  }

  /**
   * A transactional consumer that applies each lane's share of a claimed batch in ONE transaction (one
   * commit, one fsync, for up to a batch of events), falling back to one transaction per event when
   * that transaction fails. {@code laneKey} must partition what the handler locks (a pot's events
   * all go to the lane of that pot), so two lanes never wait on each other's rows and cannot deadlock;
   * each key's events stay in outbox order.
   */
  public static EventConsumer batched(Vertx vertx, Pool pool, EventSettings settings, String name, Set<String> types,
                                      java.util.function.Function<DomainEvent, String> laneKey, Handler handler) {
    return new EventConsumer(vertx, pool, settings, name, types, handler, null, laneKey);
  }

  /** A consumer whose effect is elsewhere (see {@link Reaction}). */
  public static EventConsumer reacting(Vertx vertx, Pool pool, EventSettings settings, String name, Set<String> types, Reaction reaction) {
    return new EventConsumer(vertx, pool, settings, name, types, null, reaction, null);
  }

  public String name() {
    return name;
  }

  /** Records the subscription (before the relay may fan out to it), then starts draining. */
  public Future<Void> start() {
    String[] types = eventTypes.toArray(String[]::new);
    return pool.withTransaction(tx -> tx.preparedQuery(SUBSCRIBE).execute(Tuple.of(name, (Object) types))
            .compose(v -> tx.preparedQuery(UNSUBSCRIBE_STALE).execute(Tuple.of(name, (Object) types))))
        .map(v -> {
          sweeper = new DueWorkSweeper(vertx, "events:" + name, settings.batchSize(), this::deliverBatch)
              .start(Duration.ofMillis(settings.pollMs()));
          nudges = vertx.eventBus().consumer(DELIVERIES_READY, msg -> sweeper.sweep());
          sweeper.sweep();
          return null;
        });
  }

  public Future<Void> stop() {
    if (sweeper != null) sweeper.stop();
    return nudges == null ? Future.succeededFuture() : nudges.unregister();
  }

  /** Delivers what is due now (tests and admin "retry now"); the number of deliveries attempted. */
  public Future<Integer> drainNow() {
    return sweeper.sweep();
  }

  /**
   * Delivers a claimed batch on {@link EventSettings#concurrency()} lanes: all events of one
   * aggregate go to the same lane, in outbox order, so an aggregate's events stay ordered while
   * different aggregates proceed in parallel (a burst of 10,000 pot openings does not drain one by one).
   */
  private Future<Integer> deliverBatch(int limit) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(name, limit, settings.leaseSeconds())).compose(rows -> {
      int lanes = Math.max(1, settings.concurrency());
      List<List<Row>> byLane = new ArrayList<>();
      for (int i = 0; i < lanes; i++) byLane.add(new ArrayList<>());
      int claimed = 0;
      for (Row row : rows) {
        String key = laneKey == null ? row.getString("aggregate_id") : laneKey.apply(Outbox.toEvent(row));
        byLane.get(Math.floorMod(String.valueOf(key).hashCode(), lanes)).add(row);
        claimed++;
      }
      List<Future<Void>> running = new ArrayList<>(lanes);
      for (List<Row> lane : byLane) {
        if (lane.isEmpty()) continue;
        running.add(laneKey != null && lane.size() > 1
            ? deliverTogether(lane).recover(err -> {
              log.warn("consumer {}: a lane of {} events failed together and is delivered one by one: {}", name, lane.size(), err.toString());
              return deliverEach(lane);
            })
            : deliverEach(lane));
      }
      int total = claimed;
      return Future.join(running).map(total);
    });
  }

  private Future<Void> deliverEach(List<Row> lane) {
    Future<Void> chain = Future.succeededFuture();
    for (Row row : lane) {
      DomainEvent event = Outbox.toEvent(row);
      int attempts = row.getInteger("attempts");
      chain = chain.compose(v -> deliver(event, attempts));
    }
    return chain;
  }

  /** A lane's events in one transaction: every delivery removed and every effect made, or none. */
  private Future<Void> deliverTogether(List<Row> lane) {
    return pool.withTransaction(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (Row row : lane) {
        DomainEvent event = Outbox.toEvent(row);
        chain = chain.compose(v -> takeAndApply(tx, event));
      }
      return chain;
    });
  }

  /** One event; a failure is recorded, never thrown on. */
  private Future<Void> deliver(DomainEvent event, int attempts) {
    Future<Void> applied = handler != null
        // Effect and delivery removal in one transaction.
        ? pool.withTransaction(tx -> takeAndApply(tx, event))
        // The reaction first, holding no connection; then the delivery goes (a replay of an event already applied is skipped).
        : pool.preparedQuery(SEEN).execute(Tuple.of(name, event.eventId()))
            .compose(seen -> seen.size() > 0 ? Future.<Void>succeededFuture() : guarded(() -> reaction.react(event)))
            .compose(v -> pool.withTransaction(tx -> tx.preparedQuery(TAKE).execute(Tuple.of(name, event.eventId()))).<Void>mapEmpty());
    return applied.recover(error -> recordFailure(event, attempts, error));
  }

  /** Removes the delivery and records the event in {@code tx}, then applies it — unless it was taken or applied before. */
  private Future<Void> takeAndApply(SqlConnection tx, DomainEvent event) {
    return tx.preparedQuery(TAKE).execute(Tuple.of(name, event.eventId()))
        .compose(taken -> taken.size() == 0 ? Future.<Void>succeededFuture() : guarded(() -> handler.handle(tx, event)));
  }

  private static Future<Void> guarded(java.util.function.Supplier<Future<Void>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> recordFailure(DomainEvent event, int attempts, Throwable error) {
    double delay = settings.backoffSeconds(attempts);
    String reason = String.valueOf(error.getMessage() == null ? error.toString() : error.getMessage());
    return pool.preparedQuery(FAILED).execute(Tuple.of(name, event.eventId(), reason, delay, settings.maxAttempts()))
        .map(rows -> {
          boolean parked = rows.size() > 0 && rows.iterator().next().getBoolean("parked");
          if (parked) {
            log.error("ALERT event {} ({}) parked for consumer {} after {} attempts: {}", event.eventId(), event.type(), name, attempts, reason);
          } else {
            log.warn("event {} ({}) failed for consumer {} (attempt {}), retried in {} s: {}", event.eventId(), event.type(), name,
                attempts, delay, reason);
          }
          return (Void) null;
        })
        .recover(e -> {
          log.warn("could not record the failure of event {} for {} (the lease expires and it is retried): {}", event.eventId(), name, e.toString());
          return Future.succeededFuture();
        });
  }
}
