package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.pot.api.PotStatus;

import java.time.Clock;
import java.util.Set;
import java.util.UUID;

/**
 * The pot's own projection of money raised, fed by the donations domain's events through a durable
 * consumer (applied once each, in the consumer's transaction). Every credit emits
 * {@code pot.credited} carrying the total after it ({@code raised_after_cfa}), so nobody downstream
 * recomputes a total. Reaching the target makes an open pot funded ({@code pot.funded}). A payment
 * that lands after the pot closed is still credited unless the gift was already converted; then the
 * pot asks for a refund ({@code pot.late_donation_refund_requested}, handled by the donations domain).
 */
final class PotFunding {

  static final String CONSUMER = "pot.funding";
  static final Set<String> EVENTS = Set.of("donation.succeeded", "donation.refunded", "referral.credit_applied");

  private static final String LOCK = "SELECT status, gift_converted_at FROM pots.pots WHERE id = $1 FOR UPDATE";
  private static final String CREDIT = """
      UPDATE pots.pots SET raised_cfa = raised_cfa + $2, succeeded_donations = succeeded_donations + 1,
             status = CASE WHEN status = 'open' AND raised_cfa + $2 >= target_amount_cfa THEN 'funded'
                           WHEN status = 'expired' THEN 'closed' ELSE status END
      WHERE id = $1 RETURNING status, raised_cfa, target_amount_cfa, owner_user_id""";
  private static final String DEBIT = """
      UPDATE pots.pots SET raised_cfa = GREATEST(raised_cfa - $2, 0), succeeded_donations = GREATEST(succeeded_donations - 1, 0)
      WHERE id = $1""";

  private final Clock clock;

  PotFunding(Clock clock) {
    this.clock = clock;
  }

  /** The pot an event credits or debits: its consumer's lane, since that pot's row is what it locks. */
  static String potOf(DomainEvent e) {
    return e.payload().getString("pot_id");
  }

  Future<Void> apply(SqlConnection tx, DomainEvent e) {
    return switch (e.type()) {
      case "donation.succeeded" -> onDonationSucceeded(tx, e);
      case "referral.credit_applied" -> onReferralCredit(tx, e);
      default -> onDonationRefunded(tx, e);
    };
  }

  /** {@code donation.succeeded}: payload {@code {"pot_id","donation_id","amount_cfa",…}}. */
  private Future<Void> onDonationSucceeded(SqlConnection tx, DomainEvent e) {
    UUID potId = UUID.fromString(e.payload().getString("pot_id"));
    long amount = e.payload().getLong("amount_cfa");
    return tx.preparedQuery(LOCK).execute(Tuple.of(potId)).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture();
      Row pot = rows.iterator().next();
      if (pot.getOffsetDateTime("gift_converted_at") != null) {
        return Outbox.append(tx, DomainEvent.of("pot.late_donation_refund_requested", "pot", potId, new JsonObject()
            .put("pot_id", potId.toString()).put("donation_id", e.payload().getString("donation_id"))
            .put("amount_cfa", amount).put("reason", "failed_pot"), clock.instant()));
      }
      String before = pot.getString("status");
      return tx.preparedQuery(CREDIT).execute(Tuple.of(potId, amount)).compose(updated -> {
        Row r = updated.iterator().next();
        String owner = r.getUUID("owner_user_id").toString();
        Future<Void> credited = Outbox.append(tx, DomainEvent.of("pot.credited", "pot", potId, e.payload().copy()
            .put("owner_user_id", owner).put("raised_after_cfa", r.getLong("raised_cfa")), clock.instant()));
        if (PotStatus.of(before) == PotStatus.OPEN && PotStatus.of(r.getString("status")) == PotStatus.FUNDED) {
          return credited.compose(v -> Outbox.append(tx, DomainEvent.of("pot.funded", "pot", potId, new JsonObject()
              .put("pot_id", potId.toString()).put("owner_user_id", owner)
              .put("raised_cfa", r.getLong("raised_cfa")).put("raised_after_cfa", r.getLong("raised_cfa"))
              .put("target_amount_cfa", r.getInteger("target_amount_cfa")), clock.instant())));
        }
        return credited;
      });
    });
  }

  /**
   * {@code referral.credit_applied}: the owner converted points into credit on this pot. It counts in
   * the total (and may fund the pot) but stays its own source ({@code referral_credit_cfa}), not a donation.
   */
  private Future<Void> onReferralCredit(SqlConnection tx, DomainEvent e) {
    UUID potId = UUID.fromString(e.payload().getString("pot_id"));
    long credit = e.payload().getLong("credit_cfa");
    return tx.preparedQuery("""
            UPDATE pots.pots SET raised_cfa = raised_cfa + $2, referral_credit_cfa = referral_credit_cfa + $2,
                   status = CASE WHEN status = 'open' AND raised_cfa + $2 >= target_amount_cfa THEN 'funded' ELSE status END
            WHERE id = $1 RETURNING status, raised_cfa, target_amount_cfa, owner_user_id, (status = 'funded' AND raised_cfa - $2 < target_amount_cfa) AS just_funded""")
        .execute(Tuple.of(potId, credit)).compose(rows -> {
          if (rows.size() == 0) return Future.succeededFuture();
          Row r = rows.iterator().next();
          if (!Boolean.TRUE.equals(r.getBoolean("just_funded"))) return Future.succeededFuture();
          return Outbox.append(tx, DomainEvent.of("pot.funded", "pot", potId, new JsonObject().put("pot_id", potId.toString())
              .put("owner_user_id", r.getUUID("owner_user_id").toString()).put("raised_cfa", r.getLong("raised_cfa"))
              .put("raised_after_cfa", r.getLong("raised_cfa")).put("target_amount_cfa", r.getInteger("target_amount_cfa")), clock.instant()));
        });
  }

  /** {@code donation.refunded}: the money left the pot. The status does not go back. */
  private Future<Void> onDonationRefunded(SqlConnection tx, DomainEvent e) {
    UUID potId = UUID.fromString(e.payload().getString("pot_id"));
    long amount = e.payload().getLong("amount_cfa");
    return tx.preparedQuery(DEBIT).execute(Tuple.of(potId, amount)).mapEmpty();
  }
}
