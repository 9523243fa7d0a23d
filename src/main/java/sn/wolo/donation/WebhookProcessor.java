package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
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
 * Processes stored webhook events after the 2xx was sent: claims unprocessed ones with
 * {@code FOR UPDATE SKIP LOCKED} (so it is also the retry sweep after a crash or a bug), applies
 * each through {@link Settlement} inside its own savepoint, and records the outcome: processed,
 * quarantined (amount/currency mismatch), or failed with {@code processing_error},
 * {@code retry_count} and a backoff before the next try.
 */
final class WebhookProcessor {

  private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);
  private static final String CLAIM = """
      SELECT id, event_type, raw_payload, retry_count FROM donations.wave_webhook_events
      WHERE processed_at IS NULL AND NOT quarantined AND next_attempt_at <= $1
      ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED""";
  private static final String DONE = """
      UPDATE donations.wave_webhook_events SET processed_at = $2, donation_id = $3, processing_error = $4, quarantined = $5
      WHERE id = $1""";
  private static final String RETRY = """
      UPDATE donations.wave_webhook_events SET retry_count = retry_count + 1, processing_error = $2,
             next_attempt_at = $3 WHERE id = $1""";

  /** Then the event is quarantined with its last error (an admin looks at it), never retried hourly forever. */
  static final int MAX_ATTEMPTS = 12;

  private final Settlement settlement;
  private final Clock clock;

  WebhookProcessor(Settlement settlement, Clock clock) {
    this.settlement = settlement;
    this.clock = clock;
  }

  /** A {@code DueWorkSweeper} batch: handles up to {@code limit} stored events in {@code tx}. */
  Future<Integer> processBatch(SqlConnection tx, int limit) {
    OffsetDateTime now = Times.now(clock);
    return tx.preparedQuery(CLAIM).execute(Tuple.of(now, limit)).compose(rows -> {
      List<Row> events = new ArrayList<>();
      rows.forEach(events::add);
      Future<Void> chain = Future.succeededFuture();
      for (Row e : events) chain = chain.compose(v -> processOne(tx, e, now));
      return chain.map(events.size());
    });
  }

  private Future<Void> processOne(SqlConnection tx, Row e, OffsetDateTime now) {
    UUID id = e.getUUID("id");
    return tx.query("SAVEPOINT webhook").execute()
        .compose(v -> apply(tx, e.getString("event_type"), (JsonObject) e.getValue("raw_payload")))
        .compose(outcome -> tx.preparedQuery(DONE).execute(Tuple.of(id, now, outcome.donationId(),
            outcome.result() == Settlement.Result.APPLIED || outcome.result() == Settlement.Result.UNCHANGED ? null : outcome.detail(),
            outcome.result() == Settlement.Result.QUARANTINED)))
        .<Void>mapEmpty()
        .recover(err -> {
          int retries = e.getInteger("retry_count");
          String reason = err.getMessage() == null ? err.toString() : err.getMessage();
          if (retries + 1 >= MAX_ATTEMPTS) {
            log.error("ALERT webhook event {} parked after {} attempts: {}", id, retries + 1, reason);
            return tx.query("ROLLBACK TO SAVEPOINT webhook").execute()
                .compose(v -> tx.preparedQuery(DONE).execute(Tuple.of(id, now, null, "parked after " + (retries + 1) + " attempts: " + reason, true)))
                .mapEmpty();
          }
          log.warn("webhook event {} failed (try {}), will retry: {}", id, retries + 1, reason);
          long backoffSeconds = Math.min(3600, 5L << Math.min(retries, 10));
          return tx.query("ROLLBACK TO SAVEPOINT webhook").execute()
              .compose(v -> tx.preparedQuery(RETRY).execute(Tuple.of(id, reason, now.plusSeconds(backoffSeconds))))
              .mapEmpty();
        });
  }

  private Future<Settlement.Outcome> apply(SqlConnection tx, String type, JsonObject envelope) {
    // A signed event of a shape we cannot read is parked with its reason, not retried forever.
    if (!(envelope.getValue("data") instanceof JsonObject session)) {
      return Future.succeededFuture(new Settlement.Outcome(Settlement.Result.QUARANTINED, "malformed event: data is not an object", null));
    }
    if (session.getValue("client_reference") != null && !(session.getValue("client_reference") instanceof String)) {
      return Future.succeededFuture(new Settlement.Outcome(Settlement.Result.QUARANTINED, "malformed event: client_reference is not a string", null));
    }
    String reference = session.getString("client_reference");
    return switch (type) {
      case "checkout.session.completed" -> "succeeded".equals(session.getString("payment_status"))
          ? settlement.apply(tx, reference, session, true)
          : Future.succeededFuture(new Settlement.Outcome(Settlement.Result.UNCHANGED, "completed without payment", null));
      case "checkout.session.payment_failed" -> settlement.apply(tx, reference, session, false);
      default -> Future.succeededFuture(new Settlement.Outcome(Settlement.Result.UNCHANGED, "event type not used", null));
    };
  }
}
