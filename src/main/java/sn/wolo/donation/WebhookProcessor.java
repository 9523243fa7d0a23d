package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.Times;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Processes stored webhook events after the 2xx was sent (a {@code DueWorkSweeper} step). It claims
 * unprocessed ones with {@code FOR UPDATE SKIP LOCKED} (so it is also the retry sweep after a crash or a
 * bug) and settles them together in one transaction with a few set-based statements
 * ({@link SettlementBatch}). When that transaction fails, it settles the same events one at a time,
 * each in its own transaction (a batch of one: the same rules), and records a failing one's error in a transaction of its own:
 * {@code processing_error}, {@code retry_count} and a backoff before the next try, or quarantine after
 * {@link #MAX_ATTEMPTS}. (A failed statement aborts a Vert.x transaction as a whole, savepoints or not:
 * one bad event must not take its batch down with it, try after try.)
 */
final class WebhookProcessor {

  private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);
  private static final String DUE = """
      WHERE processed_at IS NULL AND NOT quarantined AND next_attempt_at <= $1""";
  private static final String CLAIM = "SELECT id, event_type, raw_payload, retry_count FROM donations.wave_webhook_events " + DUE
      + " ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED";
  private static final String DUE_IDS = "SELECT id FROM donations.wave_webhook_events " + DUE + " ORDER BY created_at, id LIMIT $2";
  private static final String CLAIM_ONE = """
      SELECT id, event_type, raw_payload, retry_count FROM donations.wave_webhook_events
      WHERE id = $1 AND processed_at IS NULL AND NOT quarantined FOR UPDATE SKIP LOCKED""";
  private static final String DONE = """
      UPDATE donations.wave_webhook_events SET processed_at = $2, donation_id = $3, processing_error = $4, quarantined = $5
      WHERE id = $1""";
  private static final String RETRY = """
      UPDATE donations.wave_webhook_events SET retry_count = retry_count + 1, processing_error = $2,
             next_attempt_at = $3 WHERE id = $1 AND processed_at IS NULL""";

  /** Then the event is quarantined with its last error (an admin looks at it), never retried hourly forever. */
  static final int MAX_ATTEMPTS = 12;

  private final Pool pool;
  private final SettlementBatch batch;
  private final Clock clock;

  WebhookProcessor(Pool pool, Clock clock) {
    this.pool = pool;
    this.batch = new SettlementBatch(clock);
    this.clock = clock;
  }

  /** Settles up to {@code limit} due events together; if that fails, one at a time. Says how many it handled. */
  Future<Integer> sweep(int limit) {
    return pool.withTransaction(tx -> tx.preparedQuery(CLAIM).execute(Tuple.of(Times.now(clock), limit)).compose(rows -> {
      List<SettlementBatch.Claimed> claimed = new ArrayList<>();
      rows.forEach(e -> claimed.add(claimed(e)));
      return claimed.isEmpty() ? Future.succeededFuture(0) : batch.settle(tx, claimed);
    })).recover(err -> {
      log.warn("a batch of webhook events failed and is settled one by one: {}", err.toString());
      return oneByOne(limit);
    });
  }

  private Future<Integer> oneByOne(int limit) {
    return pool.preparedQuery(DUE_IDS).execute(Tuple.of(Times.now(clock), limit)).compose(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(r -> ids.add(r.getUUID("id")));
      Future<Void> chain = Future.succeededFuture();
      for (UUID id : ids) chain = chain.compose(v -> processOne(id));
      return chain.map(ids.size());
    });
  }

  /** One event in its own transaction (a batch of one); its failure recorded in another, so the retry count does grow. */
  private Future<Void> processOne(UUID id) {
    int[] retries = {0};
    return pool.withTransaction(tx -> tx.preparedQuery(CLAIM_ONE).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) return Future.<Void>succeededFuture();   // done or taken by another instance meanwhile
      Row e = rows.iterator().next();
      retries[0] = e.getInteger("retry_count");
      return batch.settle(tx, List.of(claimed(e))).<Void>mapEmpty();
    })).recover(err -> recordFailure(id, retries[0], err));
  }

  private static SettlementBatch.Claimed claimed(Row e) {
    return new SettlementBatch.Claimed(e.getUUID("id"), e.getString("event_type"), (JsonObject) e.getValue("raw_payload"));
  }

  private Future<Void> recordFailure(UUID id, int retries, Throwable err) {
    String reason = err.getMessage() == null ? err.toString() : err.getMessage();
    OffsetDateTime now = Times.now(clock);
    if (retries + 1 >= MAX_ATTEMPTS) {
      log.error("ALERT webhook event {} parked after {} attempts: {}", id, retries + 1, reason);
      return pool.preparedQuery(DONE).execute(Tuple.of(id, now, null, "parked after " + (retries + 1) + " attempts: " + reason, true))
          .mapEmpty();
    }
    log.warn("webhook event {} failed (try {}), will retry: {}", id, retries + 1, reason);
    long backoffSeconds = Math.min(3600, 5L << Math.min(retries, 10));
    return pool.preparedQuery(RETRY).execute(Tuple.of(id, reason, now.plusSeconds(backoffSeconds))).mapEmpty();
  }
}
