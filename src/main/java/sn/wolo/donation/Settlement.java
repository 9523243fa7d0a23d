package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * Applies what Wave says about a checkout session to its donation — from a webhook or from
 * reconciliation, the same way. The donation's state only moves forward:
 * <pre>
 *   pending → processing → succeeded → refunded
 *          ↘            ↘ failed ──(money did arrive)──▶ succeeded
 * </pre>
 * so a late or duplicate {@code payment_failed} never undoes a success, and {@code donation.succeeded}
 * is written to the outbox exactly once per donation. A session whose amount or currency differs
 * from the donation is quarantined, not credited.
 */
final class Settlement {

  enum Result { APPLIED, UNCHANGED, QUARANTINED, UNKNOWN_DONATION }

  record Outcome(Result result, String detail, UUID donationId) {
  }

  static final String LOCK = """
      SELECT id, pot_id, donor_user_id, amount_cfa, status, is_anonymous, donor_name, wave_checkout_session_id
      FROM donations.donations WHERE id = $1 FOR UPDATE""";
  private static final String SUCCEED = """
      UPDATE donations.donations SET status = 'succeeded', confirmed_at = $2, wave_notified_at = $2,
             wave_transaction_id = COALESCE($3, wave_transaction_id), wave_webhook_data = $4,
             wave_checkout_session_id = COALESCE(wave_checkout_session_id, $5)
      WHERE id = $1""";
  private static final String FAIL = """
      UPDATE donations.donations SET status = 'failed', failed_at = $2, wave_notified_at = $2, wave_webhook_data = $3
      WHERE id = $1""";
  static final Set<String> CAN_SUCCEED = Set.of("pending", "processing", "failed");
  static final Set<String> CAN_FAIL = Set.of("pending", "processing");

  private final Clock clock;

  Settlement(Clock clock) {
    this.clock = clock;
  }

  /** {@code paid}: the session completed and the payment succeeded; otherwise it failed or expired. */
  Future<Outcome> apply(SqlConnection tx, String clientReference, JsonObject session, boolean paid) {
    UUID donationId;
    try {
      donationId = UUID.fromString(clientReference);
    } catch (RuntimeException e) {
      return Future.succeededFuture(new Outcome(Result.UNKNOWN_DONATION, "unknown client_reference", null));
    }
    return tx.preparedQuery(LOCK).execute(Tuple.of(donationId)).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture(new Outcome(Result.UNKNOWN_DONATION, "unknown client_reference", null));
      Row d = rows.iterator().next();
      String mismatch = mismatch(d.getInteger("amount_cfa"), d.getString("wave_checkout_session_id"), session);
      if (mismatch != null) return Future.succeededFuture(new Outcome(Result.QUARANTINED, mismatch, donationId));
      OffsetDateTime now = Times.now(clock);
      String status = d.getString("status");
      if (paid && CAN_SUCCEED.contains(status)) {
        return tx.preparedQuery(SUCCEED).execute(Tuple.of(donationId, now, session.getString("transaction_id"), session,
                session.getString("id")))
            .compose(v -> Outbox.append(tx, succeededEvent(donationId, d.getUUID("pot_id"), d.getInteger("amount_cfa"),
                d.getUUID("donor_user_id"), d.getBoolean("is_anonymous"), d.getString("donor_name"), clock.instant())))
            .map(new Outcome(Result.APPLIED, "succeeded", donationId));
      }
      if (!paid && CAN_FAIL.contains(status)) {
        return tx.preparedQuery(FAIL).execute(Tuple.of(donationId, now, session))
            .compose(v -> Outbox.append(tx, failedEvent(donationId, d.getUUID("pot_id"), clock.instant())))
            .map(new Outcome(Result.APPLIED, "failed", donationId));
      }
      return Future.succeededFuture(new Outcome(Result.UNCHANGED, "already " + status, donationId));
    });
  }

  static DomainEvent succeededEvent(UUID donationId, UUID potId, int amountCfa, UUID donorUserId, boolean anonymous, String donorName,
                                    java.time.Instant at) {
    return DomainEvent.of("donation.succeeded", "donation", donationId, new JsonObject()
        .put("donation_id", donationId.toString()).put("pot_id", potId.toString()).put("amount_cfa", amountCfa)
        .put("donor_user_id", donorUserId == null ? null : donorUserId.toString()).put("is_anonymous", anonymous)
        .put("donor_name", anonymous ? null : donorName), at);
  }

  static DomainEvent failedEvent(UUID donationId, UUID potId, java.time.Instant at) {
    return DomainEvent.of("donation.failed", "donation", donationId, new JsonObject()
        .put("donation_id", donationId.toString()).put("pot_id", potId.toString()), at);
  }

  /** Amount (a string of whole francs at Wave) and currency must be exactly the donation's, and the session its own. */
  static String mismatch(int amountCfa, String known, JsonObject session) {
    String amount = session.getValue("amount") == null ? null : String.valueOf(session.getValue("amount"));
    if (!String.valueOf(amountCfa).equals(amount)) {
      return "amount mismatch: donation " + amountCfa + " XOF, Wave session " + amount;
    }
    if (!"XOF".equals(session.getString("currency"))) return "currency mismatch: " + session.getString("currency");
    if (known != null && session.getString("id") != null && !known.equals(session.getString("id"))) {
      return "checkout session mismatch";
    }
    return null;
  }
}
