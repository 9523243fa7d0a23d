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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  // The run's pots, locked in id order (two lanes never share a pot, and one lane locks in a fixed order).
  private static final String LOCK = """
      SELECT id, status, gift_converted_at, raised_cfa, target_amount_cfa, owner_user_id FROM pots.pots
      WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE""";
  // Every credited pot of the run in one statement: its new total, status and count of donations.
  private static final String CREDIT = """
      UPDATE pots.pots p SET raised_cfa = d.raised_cfa, status = d.status, succeeded_donations = p.succeeded_donations + d.credits
      FROM unnest($1::uuid[], $2::bigint[], $3::varchar[], $4::int[]) AS d(id, raised_cfa, status, credits) WHERE p.id = d.id""";
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

  /**
   * Applies a lane's events in order. Successive {@code donation.succeeded} events are credited
   * together: their pots locked once, the totals computed in order in memory (each {@code pot.credited}
   * carries the total just after its own donation), then one UPDATE for every pot of the run and one
   * INSERT for every event — a hot pot costs one row update per batch, not one per donation.
   */
  Future<Void> apply(SqlConnection tx, List<DomainEvent> events) {
    Future<Void> chain = Future.succeededFuture();
    int i = 0;
    while (i < events.size()) {
      int from = i;
      while (i < events.size() && events.get(i).type().equals("donation.succeeded")) i++;
      if (i > from) {
        List<DomainEvent> credits = events.subList(from, i);
        chain = chain.compose(v -> credit(tx, credits));
      } else {
        DomainEvent other = events.get(i++);
        chain = chain.compose(v -> "referral.credit_applied".equals(other.type()) ? onReferralCredit(tx, other) : onDonationRefunded(tx, other));
      }
    }
    return chain;
  }

  /** A pot as locked for a run of credits, and what the run did to it. */
  private static final class LockedPot {
    final UUID id;
    final boolean giftConverted;
    final long target;
    final String owner;
    PotStatus status;
    long raised;
    int credits;

    LockedPot(Row r) {
      id = r.getUUID("id");
      giftConverted = r.getOffsetDateTime("gift_converted_at") != null;
      target = r.getLong("target_amount_cfa");
      owner = r.getUUID("owner_user_id").toString();
      status = PotStatus.of(r.getString("status"));
      raised = r.getLong("raised_cfa");
    }
  }

  /**
   * {@code donation.succeeded} events: payload {@code {"pot_id","donation_id","amount_cfa",…}}. A
   * credit makes an open pot that reaches its target funded, and an expired pot closed; a pot whose
   * gift was converted is not credited, it asks for the donation's refund.
   */
  private Future<Void> credit(SqlConnection tx, List<DomainEvent> credits) {
    UUID[] potIds = credits.stream().map(e -> UUID.fromString(potOf(e))).distinct().sorted().toArray(UUID[]::new);
    return tx.preparedQuery(LOCK).execute(Tuple.of((Object) potIds)).compose(rows -> {
      Map<UUID, LockedPot> pots = new LinkedHashMap<>();
      rows.forEach(r -> pots.put(r.getUUID("id"), new LockedPot(r)));
      List<DomainEvent> out = new ArrayList<>();
      for (DomainEvent e : credits) {
        LockedPot pot = pots.get(UUID.fromString(potOf(e)));
        if (pot != null) out.addAll(creditOne(pot, e));
      }
      List<LockedPot> credited = pots.values().stream().filter(p -> p.credits > 0).toList();
      Future<Void> updated = credited.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(CREDIT).execute(Tuple.tuple()
              .addValue(credited.stream().map(p -> p.id).toArray(UUID[]::new))
              .addValue(credited.stream().map(p -> p.raised).toArray(Long[]::new))
              .addValue(credited.stream().map(p -> p.status.wire()).toArray(String[]::new))
              .addValue(credited.stream().map(p -> p.credits).toArray(Integer[]::new)))
          .mapEmpty();
      return updated.compose(v -> Outbox.appendAll(tx, out));
    });
  }

  /** One donation on its locked pot, in memory; the events it causes. */
  private List<DomainEvent> creditOne(LockedPot pot, DomainEvent e) {
    long amount = e.payload().getLong("amount_cfa");
    if (pot.giftConverted) {
      return List.of(DomainEvent.of("pot.late_donation_refund_requested", "pot", pot.id, new JsonObject()
          .put("pot_id", pot.id.toString()).put("donation_id", e.payload().getString("donation_id"))
          .put("amount_cfa", amount).put("reason", "failed_pot"), clock.instant()));
    }
    PotStatus before = pot.status;
    pot.raised += amount;
    pot.credits++;
    if (before == PotStatus.OPEN && pot.raised >= pot.target) pot.status = PotStatus.FUNDED;
    else if (before == PotStatus.EXPIRED) pot.status = PotStatus.CLOSED;
    DomainEvent credited = DomainEvent.of("pot.credited", "pot", pot.id, e.payload().copy()
        .put("owner_user_id", pot.owner).put("raised_after_cfa", pot.raised), clock.instant());
    if (before != PotStatus.OPEN || pot.status != PotStatus.FUNDED) return List.of(credited);
    return List.of(credited, funded(pot.id, pot.owner, pot.raised, (int) pot.target));
  }

  /** {@code pot.funded}: the pot reached its target with {@code raised} (a donation or a referral credit did it). */
  private DomainEvent funded(UUID potId, String owner, long raised, int target) {
    return DomainEvent.of("pot.funded", "pot", potId, new JsonObject().put("pot_id", potId.toString()).put("owner_user_id", owner)
        .put("raised_cfa", raised).put("raised_after_cfa", raised).put("target_amount_cfa", target), clock.instant());
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
          return Outbox.append(tx, funded(potId, r.getUUID("owner_user_id").toString(), r.getLong("raised_cfa"), r.getInteger("target_amount_cfa")));
        });
  }

  /** {@code donation.refunded}: the money left the pot. The status does not go back. */
  private Future<Void> onDonationRefunded(SqlConnection tx, DomainEvent e) {
    UUID potId = UUID.fromString(e.payload().getString("pot_id"));
    long amount = e.payload().getLong("amount_cfa");
    return tx.preparedQuery(DEBIT).execute(Tuple.of(potId, amount)).mapEmpty();
  }
}
