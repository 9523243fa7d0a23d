package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.audit.AuditRows;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.wave.WaveClient;
import sn.wolo.platform.wave.WaveException;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * Full refunds through Wave. The {@code refunds} row is written first, under the donation's row
 * lock and a UNIQUE(donation_id): two concurrent requests cannot both pass, and a crash leaves a
 * pending refund that a request two minutes later resumes with the same Idempotency-Key (Wave
 * refunds a key once). Only after Wave
 * confirms is the donation marked refunded and {@code donation.refunded} emitted.
 */
final class Refunds {

  static final Set<String> REASONS = Set.of("user_request", "fraud", "failed_pot", "admin_action");

  private static final String CLAIM = """
      INSERT INTO donations.refunds (donation_id, refunded_by_user_id, amount_cfa, reason, reason_description, processed_at)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (donation_id) DO UPDATE SET processed_at = EXCLUDED.processed_at
      WHERE refunds.wave_refund_status = 'failed'
         OR (refunds.wave_refund_status = 'pending' AND refunds.processed_at < EXCLUDED.processed_at - interval '2 minutes')
      RETURNING id""";
  private static final String COMPLETE = """
      UPDATE donations.refunds SET wave_refund_status = 'succeeded', completed_at = $2, wave_refund_id = $3 WHERE donation_id = $1""";
  private static final String FAILED = "UPDATE donations.refunds SET wave_refund_status = 'failed' WHERE donation_id = $1";
  private static final String REFUNDED = "UPDATE donations.donations SET status = 'refunded', refunded_at = $2 WHERE id = $1 AND status = 'succeeded'";

  private final Pool pool;
  private final WaveClient wave;
  private final Clock clock;

  Refunds(Pool pool, WaveClient wave, Clock clock) {
    this.pool = pool;
    this.wave = wave;
    this.clock = clock;
  }

  /** Audited ({@code refund_processed}) in the transaction that marks the donation refunded; {@code who} is the system for automatic refunds. */
  Future<JsonObject> refund(UUID donationId, UUID by, String reason, String description, AuditContext who) {
    if (!REASONS.contains(reason)) throw DomainException.invalid("invalid_reason", "reason is one of " + REASONS);
    if (description != null && description.length() > 1000) throw DomainException.invalid("invalid_description", "description is too long.");
    OffsetDateTime now = Times.now(clock);
    Row[] donation = new Row[1];
    return pool.withTransaction(tx -> tx.preparedQuery(Settlement.LOCK).execute(Tuple.of(donationId)).compose(rows -> {
          if (rows.size() == 0) throw DomainException.notFound("donation_not_found", "No such donation.");
          Row d = rows.iterator().next();
          donation[0] = d;
          if ("refunded".equals(d.getString("status"))) throw DomainException.conflict("already_refunded", "This donation was already refunded.");
          if (!"succeeded".equals(d.getString("status"))) throw DomainException.conflict("not_refundable", "Only succeeded donations can be refunded.");
          return tx.preparedQuery(CLAIM).execute(Tuple.from(new Object[] {donationId, by, d.getInteger("amount_cfa"), reason, description, now}));
        }).map(claimed -> {
          if (claimed.size() == 0) throw DomainException.conflict("refund_in_progress", "A refund of this donation is already under way.");
          return claimed;
        }))
        .compose(v -> wave.refund(donation[0].getString("wave_checkout_session_id"), "refund-" + donationId)
            .recover(e -> pool.preparedQuery(FAILED).execute(Tuple.of(donationId)).transform(x -> Future.failedFuture(
                e instanceof WaveException w && !w.retryable()
                    ? new DomainException(ErrorKind.UPSTREAM_FAILED, "wave_refund_failed", "Wave refused the refund (" + w.code() + ").")
                    : new DomainException(ErrorKind.UNAVAILABLE, "wave_unavailable", "Wave is not reachable; the refund can be retried.")))))
        // Same lock order as the claim (donation row, then refund row): no deadlock with a concurrent request.
        .compose(v -> pool.withTransaction(tx -> tx.preparedQuery(REFUNDED).execute(Tuple.of(donationId, now))
            .compose(x -> tx.preparedQuery(COMPLETE).execute(Tuple.of(donationId, now, "refund-" + donationId)))
            .compose(x -> Outbox.append(tx, DomainEvent.of("donation.refunded", "donation", donationId, new JsonObject()
                .put("donation_id", donationId.toString()).put("pot_id", donation[0].getUUID("pot_id").toString())
                .put("amount_cfa", donation[0].getInteger("amount_cfa")).put("reason", reason)
                .put("refunded_by", by == null ? null : by.toString()).put("description", description), clock.instant())))
            .compose(x -> AuditRows.append(tx, who, AuditRows.Entry.of("refund_processed", "donation", donationId)
                .change(new JsonObject().put("status", "succeeded"), new JsonObject().put("status", "refunded")
                    .put("amount_cfa", donation[0].getInteger("amount_cfa"))).because(reason)
                .with(description == null ? null : new JsonObject().put("description", description)), clock.instant()))))
        .map(v -> new JsonObject().put("donation_id", donationId.toString()).put("status", "refunded")
            .put("amount_cfa", donation[0].getInteger("amount_cfa")).put("reason", reason))
        .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? Future.failedFuture(DomainException.conflict("refund_in_progress", "A refund of this donation is already under way."))
            : Future.failedFuture(e));
  }
}
