package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.security.KeyRing;
import sn.wolo.platform.security.Tokens;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Turns a closed pot's money into its chosen pack: ONE transaction under the pot's row lock sets
 * {@code gift_converted_at} (later payments are refunded by the pot/donation flow), takes one unit
 * of stock (a conditional decrement: never below zero), enforces the pack's per-user limit, issues
 * the QR code with a snapshot of what was bought, and writes {@code gift.converted} to the outbox.
 *
 * <p>Money: the pack's price comes out of the pot; the rest ({@code raised − price}) stays on the
 * pot as its surplus (a credit line shown to the owner); price + surplus = raised, by a CHECK. A pot
 * that holds less than the price is not converted (409 {@code insufficient_funds}). A closed pot
 * stays convertible for the pack's {@code validity_days} after the birthday. The gift is redeemable
 * from the birthday (00:00 Dakar) for {@code validity_days}, counted from the day of a late conversion.
 *
 * <p>This is the one transaction that spans three schemas (pots, packs, redemption): the money
 * must not be half-moved. Every check happens before the first write, so a refusal leaves the
 * caller's transaction usable (the pot-closed consumer turns a refusal into a message to the owner).
 */
final class GiftConversion {

  static final String TOKEN_PURPOSE = "gift-token";

  private static final String LOCK_POT = """
      SELECT owner_user_id, status, raised_cfa, preferred_pack_id, gift_converted_at, closes_at, title
      FROM pots.pots WHERE id = $1 FOR UPDATE""";
  private static final String PACK = """
      SELECT p.name, p.is_active, p.available_until, COALESCE(p.discounted_price_cfa, p.base_price_cfa) AS price_cfa,
             p.max_redemptions_per_user, p.validity_days, p.partner_id, pr.name AS partner_name, pr.status AS partner_status
      FROM packs.packs p JOIN packs.partners pr ON pr.id = p.partner_id WHERE p.id = $1""";
  private static final String GIFTS_OF_USER = """
      SELECT count(*) FROM redemption.qr_codes WHERE owner_user_id = $1 AND pack_id = $2 AND status <> 'cancelled'""";
  private static final String TAKE_STOCK = """
      UPDATE packs.packs SET total_available_quantity = total_available_quantity - 1
      WHERE id = $1 AND (total_available_quantity IS NULL OR total_available_quantity > 0) RETURNING id""";
  private static final String ISSUE = """
      INSERT INTO redemption.qr_codes (pot_id, pack_id, code, code_ciphertext, redeemable_from, expires_at, owner_user_id, partner_id,
                                       pack_name, price_paid_cfa, raised_cfa, surplus_cfa)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id""";
  private static final String MARK_POT = """
      UPDATE pots.pots SET gift_converted_at = $2, gift_price_cfa = $3, gift_surplus_cfa = $4, updated_at = now() WHERE id = $1""";

  private final Clock clock;
  private final KeyRing keys;

  GiftConversion(Clock clock, KeyRing keys) {
    this.clock = clock;
    this.keys = keys;
  }

  /** Converts pot {@code potId}; {@code caller} is its owner (HTTP) or null (the system, at the birthday). */
  Future<UUID> convert(SqlConnection tx, UUID potId, UUID caller) {
    OffsetDateTime now = Times.now(clock);
    return tx.preparedQuery(LOCK_POT).execute(Tuple.of(potId)).compose(rows -> {
      if (rows.size() == 0) throw potNotFound();
      Row pot = rows.iterator().next();
      UUID owner = pot.getUUID("owner_user_id");
      if (caller != null && !caller.equals(owner)) throw potNotFound();
      if (pot.getOffsetDateTime("gift_converted_at") != null) throw DomainException.conflict("gift_already_converted", "This pot's gift was already issued.");
      String status = pot.getString("status");
      if (!"closed".equals(status)) {
        throw "expired".equals(status) ? DomainException.conflict("nothing_raised", "This pot closed without money.")
            : DomainException.conflict("pot_still_open", "The pot converts at the birthday, or after its owner closes it (POST /v1/pots/{id}/close).");
      }
      UUID packId = pot.getUUID("preferred_pack_id");
      if (packId == null) throw DomainException.conflict("no_pack_chosen", "Choose a pack first (PUT /v1/pots/{id}/gift).");
      return tx.preparedQuery(PACK).execute(Tuple.of(packId)).compose(packs -> {
        Row pack = packs.iterator().next();
        long raised = pot.getLong("raised_cfa");
        long price = pack.getInteger("price_cfa");
        OffsetDateTime closesAt = pot.getOffsetDateTime("closes_at");
        if (!pack.getBoolean("is_active") || !"active".equals(pack.getString("partner_status"))) {
          throw DomainException.conflict("pack_unavailable", "This pack is no longer offered; choose another one.");
        }
        if (now.isAfter(closesAt.plusDays(pack.getInteger("validity_days")))) {
          throw DomainException.conflict("conversion_window_over", "The pot could be converted until " + closesAt.plusDays(pack.getInteger("validity_days")).toLocalDate() + ".");
        }
        if (price > raised) throw insufficient(price, raised);
        return tx.preparedQuery(GIFTS_OF_USER).execute(Tuple.of(owner, packId)).compose(count -> {
          if (count.iterator().next().getLong(0) >= pack.getInteger("max_redemptions_per_user")) {
            throw DomainException.conflict("pack_limit_reached", "You already hold as many of this pack as one person may.");
          }
          return tx.preparedQuery(TAKE_STOCK).execute(Tuple.of(packId));
        }).compose(taken -> {
          if (taken.size() == 0) throw DomainException.conflict("pack_sold_out", "This pack is sold out; choose another one.");
          return issue(tx, potId, packId, pot, pack, raised, price, now);
        });
      });
    });
  }

  private Future<UUID> issue(SqlConnection tx, UUID potId, UUID packId, Row pot, Row pack, long raised, long price, OffsetDateTime now) {
    String token = Tokens.random256();
    OffsetDateTime from = pot.getOffsetDateTime("closes_at");
    // Valid validity_days from the birthday; a late conversion counts from the Dakar day it happened.
    OffsetDateTime today = Times.dakarMidnight(Times.dakarToday(clock));
    OffsetDateTime expires = (today.isAfter(from) ? today : from).plusDays(pack.getInteger("validity_days"));
    UUID owner = pot.getUUID("owner_user_id");
    UUID partner = pack.getUUID("partner_id");
    return tx.preparedQuery(ISSUE).execute(Tuple.tuple().addUUID(potId).addUUID(packId).addString(keys.hmac(TOKEN_PURPOSE, token))
            .addString(keys.encrypt(TOKEN_PURPOSE, token)).addValue(from).addValue(expires).addUUID(owner).addUUID(partner)
            .addString(pack.getString("name")).addLong(price).addLong(raised).addLong(raised - price))
        .compose(inserted -> {
          UUID giftId = inserted.iterator().next().getUUID("id");
          return tx.preparedQuery(MARK_POT).execute(Tuple.of(potId, now, price, raised - price))
              .compose(v -> Outbox.append(tx, DomainEvent.of("gift.converted", "gift", giftId, new JsonObject()
                  .put("gift_id", giftId.toString()).put("pot_id", potId.toString()).put("owner_user_id", owner.toString())
                  .put("pack_id", packId.toString()).put("pack_name", pack.getString("name"))
                  .put("partner_id", partner.toString()).put("partner_name", pack.getString("partner_name"))
                  .put("price_cfa", price).put("surplus_cfa", raised - price).put("raised_cfa", raised)
                  .put("redeemable_from", from.toInstant().toString()).put("expires_at", expires.toInstant().toString()), clock.instant())))
              .map(giftId);
        });
  }

  static DomainException insufficient(long price, long raised) {
    return DomainException.conflict("insufficient_funds", "The pack costs " + price + " francs and the pot holds " + raised
        + " (shortfall_cfa: " + (price - raised) + ").");
  }

  private static DomainException potNotFound() {
    return DomainException.notFound("pot_not_found", "No such pot.");
  }
}
