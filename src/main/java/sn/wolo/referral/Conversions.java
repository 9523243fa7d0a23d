package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.pot.api.Pots;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * Matured points become CFA credit on the sponsor's own live pot: ONE transaction, under the
 * sponsor's advisory lock (two conversions at once cannot overspend), writes the conversion, the
 * spend line and {@code referral.credit_applied}; the pot domain adds the credit to the pot as its
 * own source. points × {@code conversion-rate-cfa} francs, at least {@code min-conversion-points}.
 */
final class Conversions {


  private final Vertx vertx;
  private final Pots pots;
  private final Pool pool;
  private final Clock clock;
  private final ReferralSettings settings;
  private final PointsLedger ledger;

  Conversions(Vertx vertx, Pool pool, Clock clock, ReferralSettings settings, PointsLedger ledger) {
    this.vertx = vertx;
    this.pots = TypedBus.proxy(vertx, Pots.class);
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
    this.ledger = ledger;
  }

  Future<JsonObject> convert(UUID sponsor, long points, UUID potId) {
    if (points < settings.minConversionPoints() || points > 10_000_000) {
      throw DomainException.invalid("invalid_points", "Convert at least " + settings.minConversionPoints() + " points.");
    }
    return pots.get(potId, sponsor, false)
        .compose(pot -> {
          if (!sponsor.equals(pot.ownerUserId())) throw DomainException.notFound("pot_not_found", "No such pot.");
          if (!pot.status().isLive()) throw DomainException.conflict("pot_not_live", "Points go to a pot that is not closed yet.");
          return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('points:' || $1))")
              .execute(Tuple.of(sponsor.toString()))
              .compose(v -> ledger.balance(tx, sponsor))
              .compose(balance -> {
                if (balance.getLong("balance") < points) {
                  throw DomainException.conflict("insufficient_points", "You have " + balance.getLong("balance") + " spendable points.");
                }
                long credit = points * settings.conversionRateCfa();
                OffsetDateTime now = Times.now(clock);
                return tx.preparedQuery("""
                        INSERT INTO referrals.points_conversions (sponsor_user_id, points_converted, credits_issued, conversion_rate, applied_to_pot_id, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""")
                    .execute(Tuple.tuple().addUUID(sponsor).addInteger((int) points).addInteger((int) credit)
                        .addValue(BigDecimal.valueOf(settings.conversionRateCfa())).addUUID(potId).addValue(now))
                    .compose(rows -> {
                      UUID id = rows.iterator().next().getUUID("id");
                      return tx.preparedQuery("""
                              INSERT INTO referrals.points_ledger (sponsor_user_id, event_type, points_spent, status, matured_at, description,
                                                                   conversion_id, metadata, created_at)
                              VALUES ($1, 'conversion', $2, 'matured', $3, 'converted into pot credit', $4, $5, $3)""")
                          .execute(Tuple.tuple().addUUID(sponsor).addInteger((int) points).addValue(now).addUUID(id)
                              .addValue(new JsonObject().put("pot_id", potId.toString())))
                          .compose(v -> Outbox.append(tx, DomainEvent.of("referral.credit_applied", "pot", potId, new JsonObject()
                              .put("conversion_id", id.toString()).put("pot_id", potId.toString()).put("sponsor_user_id", sponsor.toString())
                              .put("points", points).put("credit_cfa", credit), clock.instant())))
                          .map(v -> new JsonObject().put("id", id.toString()).put("points", points).put("credit_cfa", credit)
                              .put("pot_id", potId.toString()).put("balance_after", balance.getLong("balance") - points));
                    });
              }));
        });
  }
}
