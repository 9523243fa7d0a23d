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
 * <p>At start it records its subscription ({@code platform.event_subscriptions}) and, the first
 * time, its {@link EventCursor} after the last event published so far. From then on it reads the
 * published outbox after its cursor (instances take turns with a lease on the cursor), applies
 * each event in ONE transaction that records it in {@code platform.processed_events} and runs the
 * handler — the effect commits with the record or not at all, and a second reading (after a crash,
 * or a replay) finds the event recorded and does nothing — then moves the cursor past the page.
 * A failed handler rolls back; the event gets a {@code platform.event_deliveries} row before the
 * cursor passes it, and that row is retried with exponential backoff and parked after
 * {@link EventSettings#maxAttempts()} attempts (with its error, listed for admins, logged at error
 * level) without blocking the events behind it. Retry rows are claimed with a lease, as admins'
 * replays (a row inserted by hand) are.
 *
 * <p>A {@link Reaction} (effects outside the database: bus calls, messages) holds no connection
 * while it runs and must be idempotent by itself; its event is recorded only after it succeeded.
 *
 * <p>Batched consumers ({@link #batched}, {@link #reactingInBatches}) take a lane's share of each
 * page at once — one transaction, one commit — and fall back to one event at a time when that
 * fails, so one bad event waits alone while the others go through.
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
  // Retry rows due now (failed events, admins' replays), leased so instances share them.
  private static final String CLAIM = """
      WITH claimed AS (
        UPDATE platform.event_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $3)
        WHERE (d.consumer, d.event_id) IN (
          SELECT consumer, event_id FROM platform.event_deliveries
          WHERE consumer = $1 AND parked_at IS NULL AND next_attempt_at <= now()
          ORDER BY outbox_id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING d.event_id, d.attempts, d.outbox_id)
      SELECT c.attempts, c.outbox_id, o.event_id, o.event_type, o.aggregate_type, o.aggregate_id, o.payload, o.occurred_at
      FROM claimed c JOIN platform.outbox o ON o.event_id = c.event_id ORDER BY c.outbox_id""";
  // Records the events as applied by this consumer (and removes their retry rows, if any): an event
  // not returned was applied before — by another instance, or before a crash re-read its page.
  private static final String TAKE = """
      WITH retried AS (DELETE FROM platform.event_deliveries WHERE consumer = $1 AND event_id = ANY($2::uuid[]))
      INSERT INTO platform.processed_events (consumer, event_id) SELECT $1, unnest($2::uuid[])
      ON CONFLICT DO NOTHING RETURNING event_id""";
  private static final String SEEN = "SELECT event_id FROM platform.processed_events WHERE consumer = $1 AND event_id = ANY($2::uuid[])";
  // A failed event: its retry row is created (first failure) or updated (a retry failed again).
  private static final String FAILED = """
      INSERT INTO platform.event_deliveries AS d (consumer, event_id, outbox_id, attempts, next_attempt_at, last_error, parked_at)
      VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), left($6, 2000), CASE WHEN $4 >= $7 THEN now() END)
      ON CONFLICT (consumer, event_id) DO UPDATE SET attempts = GREATEST(d.attempts, EXCLUDED.attempts),
             next_attempt_at = EXCLUDED.next_attempt_at, last_error = EXCLUDED.last_error,
             parked_at = CASE WHEN GREATEST(d.attempts, EXCLUDED.attempts) >= $7 THEN now() END
      RETURNING parked_at IS NOT NULL AS parked""";

  /** An event to deliver: read after the cursor (first attempt) or claimed from a retry row. */
  private record Claimed(DomainEvent event, long outboxId, int attempts) {
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
  private final EventCursor cursor;
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
    this.cursor = new EventCursor(pool, name, this.eventTypes.toArray(String[]::new), settings.leaseSeconds());
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

  /** Records the subscription and creates the cursor (the first time), then starts draining. */
  public Future<Void> start() {
    String[] types = eventTypes.toArray(String[]::new);
    return pool.withTransaction(tx -> tx.preparedQuery(SUBSCRIBE).execute(Tuple.of(name, (Object) types))
            .compose(v -> tx.preparedQuery(UNSUBSCRIBE_STALE).execute(Tuple.of(name, (Object) types)))
            .compose(v -> cursor.create(tx)))
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

  /** Delivers what is due now (tests and admin "retry now"); the number of events read or claimed. */
  public Future<Integer> drainNow() {
    return sweeper.sweep();
  }

  /** Retries due first, then a page after the cursor; full when either was (the sweeper then goes on). */
  private Future<Integer> deliverBatch(int limit) {
    return deliverRetries(limit).compose(retried -> deliverAfterCursor(limit).map(read -> Math.max(retried, read)));
  }

  /** Claims due retry rows and delivers them; a lane that could not record a failure is retried after its lease. */
  private Future<Integer> deliverRetries(int limit) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(name, limit, settings.leaseSeconds())).compose(rows -> {
      List<Claimed> claimed = new ArrayList<>(rows.size());
      for (Row row : rows) claimed.add(new Claimed(Outbox.toEvent(row), row.getLong("outbox_id"), row.getInteger("attempts")));
      return deliver(claimed).recover(err -> {
        log.warn("consumer {}: retries not all finished (their lease expires and they are retried): {}", name, err.toString());
        return Future.succeededFuture();
      }).map(rows.size());
    });
  }

  /**
   * Reads a page after the cursor, delivers its events of this consumer's types, and moves the
   * cursor past the page — only when every event was applied or has its retry row: otherwise the
   * lease ends where it was and the page is read again (applied events are skipped then).
   */
  private Future<Integer> deliverAfterCursor(int limit) {
    return cursor.leaseAndRead(limit).compose(read -> {
      if (read.isEmpty()) return Future.succeededFuture(0);
      EventCursor.Page page = read.get();
      List<Claimed> events = page.wanted().stream().map(p -> new Claimed(p.event(), p.outboxId(), 1)).toList();
      return deliver(events)
          .compose(v -> cursor.moveTo(page).map(moved -> {
            if (!moved) log.warn("consumer {}: lost the cursor's lease while delivering a page (another instance reads it again)", name);
            return moved ? page.wanted().size() : 0;
          }))
          .recover(err -> {
            log.warn("consumer {}: a page of {} events not finished, read again next time: {}", name, events.size(), err.toString());
            return cursor.release().otherwiseEmpty().map(0);
          });
    });
  }

  /**
   * Delivers events on {@link EventSettings#concurrency()} lanes: all events of one lane key (by
   * default the aggregate) go to the same lane, in outbox order, so an aggregate's events stay
   * ordered while different aggregates proceed in parallel (a burst of 10,000 pot openings does not
   * drain one by one). Fails when a lane could not finish (a failure it could not record).
   */
  private Future<Void> deliver(List<Claimed> events) {
    if (events.isEmpty()) return Future.succeededFuture();
    int lanes = Math.max(1, settings.concurrency());
    List<List<Claimed>> byLane = new ArrayList<>();
    for (int i = 0; i < lanes; i++) byLane.add(new ArrayList<>());
    for (Claimed c : events) byLane.get(Math.floorMod(String.valueOf(laneKey.apply(c.event())).hashCode(), lanes)).add(c);
    List<Future<Void>> running = new ArrayList<>(lanes);
    for (List<Claimed> lane : byLane) {
      if (!lane.isEmpty()) running.add(handler != null ? applyLane(lane) : reactLane(lane));
    }
    return Future.join(running).mapEmpty();
  }

  private Future<Void> applyLane(List<Claimed> lane) {
    if (!together || lane.size() == 1) return applyEach(lane);
    return pool.withTransaction(tx -> takeAndApply(tx, lane)).recover(err -> {
      log.warn("consumer {}: a lane of {} events failed together and is delivered one by one: {}", name, lane.size(), err.toString());
      return applyEach(lane);
    });
  }

  /** One transaction per event; a failure is recorded (fails only when it could not be). */
  private Future<Void> applyEach(List<Claimed> lane) {
    return inOrder(lane, c -> pool.withTransaction(tx -> takeAndApply(tx, List.of(c))).recover(err -> recordFailure(c, err)));
  }

  /** Records the events in {@code tx} (removing their retry rows), then applies those not applied before. */
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

  /** Records the events as applied (removing their retry rows); the ids not applied before. */
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

  /** Creates or updates the event's retry row (parked after max attempts); fails when that could not be written. */
  private Future<Void> recordFailure(Claimed claimed, Throwable error) {
    DomainEvent event = claimed.event();
    int attempts = claimed.attempts();
    double delay = settings.backoffSeconds(attempts);
    String reason = String.valueOf(error.getMessage() == null ? error.toString() : error.getMessage());
    return pool.preparedQuery(FAILED)
        .execute(Tuple.of(name, event.eventId(), claimed.outboxId(), attempts, delay, reason, settings.maxAttempts()))
        .map(rows -> {
          boolean parked = rows.iterator().next().getBoolean("parked");
          if (parked) {
            log.error("ALERT event {} ({}) parked for consumer {} after {} attempts: {}", event.eventId(), event.type(), name, attempts, reason);
          } else {
            log.warn("event {} ({}) failed for consumer {} (attempt {}), retried in {} s: {}", event.eventId(), event.type(), name,
                attempts, delay, reason);
          }
          return null;
        });
  }
}
