package sn.wolo.platform.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.scheduling.DueWorkSweeper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

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
 *
 * <p>Batched consumers ({@link #batched}, {@link #reactingInBatches}) take a lane's share of each
 * claimed batch at once — one transaction, one commit — and fall back to one event at a time when
 * that fails, so one bad event waits alone while the others go through.
 */
public final class EventConsumer {

  /** Applies one event; {@code tx} is the transaction that also removes the delivery (exactly-once effect). */
  @FunctionalInterface
  public interface Handler {
    Future<Void> handle(SqlConnection tx, DomainEvent event);
  }

  /**
   * Applies events in outbox order in one transaction that also removes their deliveries: a lane's
   * events never applied before, or a single event when the lane fell back to one at a time.
   */
  @FunctionalInterface
  public interface BatchHandler {
    Future<Void> handle(SqlConnection tx, List<DomainEvent> events);

    /** Applies the events one after the other with a one-event handler (still one commit for the lane). */
    static BatchHandler ofEach(Handler handler) {
      return (tx, events) -> inOrder(events, e -> handler.handle(tx, e));
    }
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

  /** Like {@link Reaction}, for a lane's events at once (or one, when the lane fell back to one at a time). */
  @FunctionalInterface
  public interface BatchReaction {
    Future<Void> react(List<DomainEvent> events);
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
  // Removes the deliveries and records the events as applied by this consumer: an event not returned
  // was taken by another instance, or applied before (a replayed delivery) — nothing to do for it.
  private static final String TAKE = """
      WITH taken AS (DELETE FROM platform.event_deliveries WHERE consumer = $1 AND event_id = ANY($2::uuid[]) RETURNING consumer, event_id)
      INSERT INTO platform.processed_events (consumer, event_id) SELECT consumer, event_id FROM taken
      ON CONFLICT DO NOTHING RETURNING event_id""";
  private static final String SEEN = "SELECT event_id FROM platform.processed_events WHERE consumer = $1 AND event_id = ANY($2::uuid[])";
  private static final String FAILED = """
      UPDATE platform.event_deliveries SET last_error = left($3, 2000), next_attempt_at = now() + make_interval(secs => $4),
             parked_at = CASE WHEN attempts >= $5 THEN now() END
      WHERE consumer = $1 AND event_id = $2 RETURNING parked_at IS NOT NULL AS parked""";

  /** A claimed delivery: the event and how many times it was claimed. */
  private record Claimed(DomainEvent event, int attempts) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final String name;
  private final Set<String> eventTypes;
  /** Transactional consumers: the effect, made in the transaction that takes the deliveries. */
  private final BatchHandler handler;
  /** Reacting consumers: the effect outside, made before the deliveries are taken. */
  private final BatchReaction reaction;
  /** Whether a lane's events go together (one transaction, one reaction call) rather than one at a time. */
  private final boolean together;
  /** The key whose events share a lane (in outbox order) and whose rows only that lane locks. */
  private final Function<DomainEvent, String> laneKey;
  private final EventSettings settings;
  private DueWorkSweeper sweeper;
  private MessageConsumer<Object> nudges;

  private EventConsumer(Vertx vertx, Pool pool, EventSettings settings, String name, Set<String> eventTypes, BatchHandler handler,
                        BatchReaction reaction, boolean together, Function<DomainEvent, String> laneKey) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
    this.name = name;
    this.eventTypes = Set.copyOf(eventTypes);
    this.handler = handler;
    this.reaction = reaction;
    this.together = together;
    this.laneKey = laneKey;
  }

  /** A consumer whose effect is in the database, applied in the delivery's transaction, one event per transaction. */
  public static EventConsumer transactional(Vertx vertx, Pool pool, EventSettings settings, String name, Set<String> types, Handler handler) {
    return new EventConsumer(vertx, pool, settings, name, types, BatchHandler.ofEach(handler), null, false, DomainEvent::aggregateId);
  }

  /**
   * A transactional consumer that applies each lane's share of a claimed batch in ONE transaction (one
   * commit, one fsync, for up to a batch of events), falling back to one transaction per event when
   * that transaction fails. {@code laneKey} must partition what the handler locks (a pot's events
   * all go to the lane of that pot), so two lanes never wait on each other's rows and cannot deadlock;
   * each key's events stay in outbox order.
   */
  public static EventConsumer batched(Vertx vertx, Pool pool, EventSettings settings, String name, Set<String> types,
                                      Function<DomainEvent, String> laneKey, BatchHandler handler) {
    return new EventConsumer(vertx, pool, settings, name, types, handler, null, true, laneKey);
  }

  /** A consumer whose effect is elsewhere (see {@link Reaction}); a lane's deliveries are removed together once reacted to. */
  public static EventConsumer reacting(Vertx vertx, Pool pool, EventSettings settings, String name, Set<String> types, Reaction reaction) {
    return new EventConsumer(vertx, pool, settings, name, types, null, events -> inOrder(events, reaction::react), false,
        DomainEvent::aggregateId);
  }

  /** A reacting consumer that hands a lane's events to one call (say, one write of many rows), one at a time after a failure. */
  public static EventConsumer reactingInBatches(Vertx vertx, Pool pool, EventSettings settings, String name, Set<String> types,
                                                Function<DomainEvent, String> laneKey, BatchReaction reaction) {
    return new EventConsumer(vertx, pool, settings, name, types, null, reaction, true, laneKey);
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
   * Delivers a claimed batch on {@link EventSettings#concurrency()} lanes: all events of one lane key
   * (by default the aggregate) go to the same lane, in outbox order, so an aggregate's events stay
   * ordered while different aggregates proceed in parallel (a burst of 10,000 pot openings does not
   * drain one by one).
   */
  private Future<Integer> deliverBatch(int limit) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(name, limit, settings.leaseSeconds())).compose(rows -> {
      int lanes = Math.max(1, settings.concurrency());
      List<List<Claimed>> byLane = new ArrayList<>();
      for (int i = 0; i < lanes; i++) byLane.add(new ArrayList<>());
      for (Row row : rows) {
        DomainEvent event = Outbox.toEvent(row);
        byLane.get(Math.floorMod(String.valueOf(laneKey.apply(event)).hashCode(), lanes)).add(new Claimed(event, row.getInteger("attempts")));
      }
      List<Future<Void>> running = new ArrayList<>(lanes);
      for (List<Claimed> lane : byLane) {
        if (!lane.isEmpty()) running.add(handler != null ? applyLane(lane) : reactLane(lane));
      }
      int claimed = rows.size();
      return Future.join(running).map(claimed);
    });
  }

  private Future<Void> applyLane(List<Claimed> lane) {
    if (!together || lane.size() == 1) return applyEach(lane);
    return pool.withTransaction(tx -> takeAndApply(tx, lane)).recover(err -> {
      log.warn("consumer {}: a lane of {} events failed together and is delivered one by one: {}", name, lane.size(), err.toString());
      return applyEach(lane);
    });
  }

  /** One transaction per event; a failure is recorded, never thrown on. */
  private Future<Void> applyEach(List<Claimed> lane) {
    return inOrder(lane, c -> pool.withTransaction(tx -> takeAndApply(tx, List.of(c))).recover(err -> recordFailure(c, err)));
  }

  /** Removes the deliveries and records the events in {@code tx}, then applies those not taken or applied before. */
  private Future<Void> takeAndApply(SqlConnection tx, List<Claimed> lane) {
    return take(tx, lane).compose(taken -> {
      List<DomainEvent> fresh = lane.stream().map(Claimed::event).filter(e -> taken.contains(e.eventId())).toList();
      return fresh.isEmpty() ? Future.succeededFuture() : guarded(() -> handler.handle(tx, fresh));
    });
  }

  /**
   * The reactions first, holding no connection (events applied before — a replay — are skipped);
   * then the deliveries of those that succeeded go in one statement. A failed lane call is retried
   * one event at a time, and a failed event is recorded for its retry.
   */
  private Future<Void> reactLane(List<Claimed> lane) {
    return pool.preparedQuery(SEEN).execute(Tuple.of(name, (Object) ids(lane))).map(EventConsumer::eventIds).compose(seen -> {
      List<Claimed> fresh = lane.stream().filter(c -> !seen.contains(c.event().eventId())).toList();
      Future<List<Claimed>> reacted = together && fresh.size() > 1
          ? guarded(() -> reaction.react(fresh.stream().map(Claimed::event).toList())).map(v -> fresh).recover(err -> {
            log.warn("consumer {}: a lane of {} events failed together and is delivered one by one: {}", name, fresh.size(), err.toString());
            return reactEach(fresh);
          })
          : reactEach(fresh);
      return reacted.compose(done -> {
        List<Claimed> finished = new ArrayList<>(done);
        lane.stream().filter(c -> seen.contains(c.event().eventId())).forEach(finished::add);
        return finished.isEmpty() ? Future.succeededFuture() : take(pool, finished).<Void>mapEmpty();
      });
    }).recover(err -> {
      log.warn("consumer {}: could not finish a lane of {} events (their lease expires and they are retried): {}", name, lane.size(),
          err.toString());
      return Future.succeededFuture();
    });
  }

  /** One reaction at a time; the events that succeeded (failures are recorded). */
  private Future<List<Claimed>> reactEach(List<Claimed> events) {
    List<Claimed> done = new ArrayList<>();
    return inOrder(events, c -> guarded(() -> reaction.react(List.of(c.event())))
        .<Void>map(v -> {
          done.add(c);
          return null;
        })
        .recover(err -> recordFailure(c, err)))
        .map(v -> done);
  }

  /** Removes the deliveries and records the events as applied; the ids this call took. */
  private Future<Set<UUID>> take(SqlClient client, List<Claimed> lane) {
    return client.preparedQuery(TAKE).execute(Tuple.of(name, (Object) ids(lane))).map(EventConsumer::eventIds);
  }

  private static Set<UUID> eventIds(RowSet<Row> rows) {
    Set<UUID> ids = new HashSet<>();
    rows.forEach(r -> ids.add(r.getUUID("event_id")));
    return ids;
  }

  private static UUID[] ids(List<Claimed> lane) {
    return lane.stream().map(c -> c.event().eventId()).toArray(UUID[]::new);
  }

  /** Runs {@code step} on each item after the previous one finished; the first failure stops the chain. */
  private static <T> Future<Void> inOrder(List<T> items, Function<T, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) chain = chain.compose(v -> guarded(() -> step.apply(item)));
    return chain;
  }

  private static Future<Void> guarded(java.util.function.Supplier<Future<Void>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> recordFailure(Claimed claimed, Throwable error) {
    DomainEvent event = claimed.event();
    int attempts = claimed.attempts();
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
