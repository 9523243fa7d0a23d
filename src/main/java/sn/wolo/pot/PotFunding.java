package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;

import java.time.Clock;
import java.util.UUID;

/**
 * The pot's own projection of money raised, fed by the donations domain's events. Each event is
 * applied once ({@code platform.processed_events}), so redeliveries change nothing. Reaching the
 * target makes an open pot funded ({@code pot.funded}). A payment that lands after the pot closed
 * is still credited unless the gift was already converted; then the pot asks for a refund
 * ({@code pot.late_donation_refund_requested}, handled by the donations domain).
 */
final class PotFunding {

  private static final String CLAIM = """
      INSERT INTO platform.processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id""";
  private static final String LOCK = "SELECT status, gift_converted_at FROM pots.pots WHERE id = $1 FOR UPDATE";
  private static final String CREDIT = """
      UPDATE pots.pots SET raised_cfa = raised_cfa + $2, succeeded_donations = succeeded_donations + 1,
             status = CASE WHEN status = 'open' AND raised_cfa + $2 >= target_amount_cfa THEN 'funded'
                           WHEN status = 'expired' THEN 'closed' ELSE status END
      WHERE id = $1 RETURNING status, raised_cfa, target_amount_cfa, owner_user_id""";
  private static final String DEBIT = """
      UPDATE pots.pots SET raised_cfa = GREATEST(raised_cfa - $2, 0), succeeded_donations = GREATEST(succeeded_donations - 1, 0)
      WHERE id = $1""";

  private final Pool pool;
  private final Clock clock;

  PotFunding(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** {@code donation.succeeded}: payload {@code {"pot_id","donation_id","amount_cfa"}}. */
  Future<Void> onDonationSucceeded(DomainEvent e) {
    UUID potId = UUID.fromString(e.payload().getString("pot_id"));
    long amount = e.payload().getLong("amount_cfa");
    return pool.withTransaction(tx -> tx.preparedQuery(CLAIM).execute(Tuple.of("pot.funding", e.eventId())).compose(claimed -> {
      if (claimed.size() == 0) return Future.succeededFuture();   // already applied
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
          if ("open".equals(before) && "funded".equals(r.getString("status"))) {
            return Outbox.append(tx, DomainEvent.of("pot.funded", "pot", potId, new JsonObject()
                .put("pot_id", potId.toString()).put("owner_user_id", r.getUUID("owner_user_id").toString())
                .put("raised_cfa", r.getLong("raised_cfa")).put("target_amount_cfa", r.getInteger("target_amount_cfa")),
                clock.instant()));
          }
          return Future.succeededFuture();
        });
      });
    }));
  }

  /** {@code donation.refunded}: the money left the pot. The status does not go back. */
  Future<Void> onDonationRefunded(DomainEvent e) {
    UUID potId = UUID.fromString(e.payload().getString("pot_id"));
    long amount = e.payload().getLong("amount_cfa");
    return pool.withTransaction(tx -> tx.preparedQuery(CLAIM).execute(Tuple.of("pot.refunds", e.eventId()))
        .compose(claimed -> claimed.size() == 0 ? Future.succeededFuture()
            : tx.preparedQuery(DEBIT).execute(Tuple.of(potId, amount)).mapEmpty()));
  }
}
