package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.audit.AuditRows;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.security.KeyRing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Issued gifts as their owners see them ({@code issued → redeemed | expired | cancelled}), the
 * token behind the owner's QR image (decrypted for the owner only), the admin's cancel and the
 * expiry sweep. Nobody but the owner (and admins, without the token) learns that a gift exists.
 */
final class Gifts {

  private static final String SELECT = """
      SELECT q.id, q.pot_id, q.pack_id, q.pack_name, q.partner_id, pr.name AS partner_name, pr.venues AS partner_venues,
             p.venue_restrictions, p.redemption_instructions, q.status, q.price_paid_cfa, q.surplus_cfa, q.raised_cfa,
             q.redeemable_from, q.expires_at, q.redeemed_at, q.created_at, q.owner_user_id
      FROM redemption.qr_codes q JOIN packs.packs p ON p.id = q.pack_id JOIN packs.partners pr ON pr.id = q.partner_id""";
  private static final String EXPIRE_DUE = """
      UPDATE redemption.qr_codes SET status = 'expired' WHERE id IN (
        SELECT id FROM redemption.qr_codes WHERE status = 'issued' AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id, pot_id, owner_user_id, pack_id, partner_id, price_paid_cfa""";

  private final Pool pool;
  private final Clock clock;
  private final KeyRing keys;

  Gifts(Pool pool, Clock clock, KeyRing keys) {
    this.pool = pool;
    this.clock = clock;
    this.keys = keys;
  }

  Future<JsonObject> mine(UUID owner) {
    return pool.preparedQuery(SELECT + " WHERE q.owner_user_id = $1 ORDER BY q.created_at DESC LIMIT 200").execute(Tuple.of(owner))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(view(r)));
          return new JsonObject().put("gifts", out);
        });
  }

  /** One gift: its owner's, or any for an admin; 404 for everyone else (existence is not revealed). */
  Future<JsonObject> one(UUID giftId, UUID caller, boolean admin) {
    return pool.preparedQuery(SELECT + " WHERE q.id = $1").execute(Tuple.of(giftId)).map(rows -> {
      if (rows.size() == 0) throw notFound();
      Row r = rows.iterator().next();
      if (!admin && !r.getUUID("owner_user_id").equals(caller)) throw notFound();
      return view(r);
    });
  }

  /** The token in clear, for the owner's QR image only (admins included: they never need to scan it). */
  Future<String> token(UUID giftId, UUID owner) {
    return pool.preparedQuery("SELECT code_ciphertext FROM redemption.qr_codes WHERE id = $1 AND owner_user_id = $2")
        .execute(Tuple.of(giftId, owner)).map(rows -> {
          if (rows.size() == 0) throw notFound();
          return keys.decrypt(GiftConversion.TOKEN_PURPOSE, rows.iterator().next().getString("code_ciphertext"));
        });
  }

  /** Admin: an issued gift is cancelled (its unit of stock returns); {@code gift.cancelled}. */
  Future<JsonObject> cancel(UUID giftId, UUID adminId, String reason, AuditContext who) {
    return pool.withTransaction(tx -> tx.preparedQuery("""
            UPDATE redemption.qr_codes SET status = 'cancelled', cancelled_at = $2, cancel_reason = $3
            WHERE id = $1 AND status = 'issued' RETURNING pack_id, pot_id, owner_user_id""")
        .execute(Tuple.of(giftId, Times.now(clock), reason)).compose(rows -> {
          if (rows.size() == 0) {
            return tx.preparedQuery("SELECT status FROM redemption.qr_codes WHERE id = $1").execute(Tuple.of(giftId)).map(found -> {
              if (found.size() == 0) throw notFound();
              throw DomainException.conflict("gift_not_cancellable", "A " + found.iterator().next().getString("status") + " gift cannot be cancelled.");
            });
          }
          Row r = rows.iterator().next();
          return tx.preparedQuery("UPDATE packs.packs SET total_available_quantity = total_available_quantity + 1 "
                  + "WHERE id = $1 AND total_available_quantity IS NOT NULL").execute(Tuple.of(r.getUUID("pack_id")))
              .compose(v -> AuditRows.append(tx, who, AuditRows.Entry.of("gift_cancelled", "gift", giftId)
                  .change(new JsonObject().put("status", "issued"), new JsonObject().put("status", "cancelled")).because(reason), clock.instant()))
              .compose(v -> Outbox.append(tx, DomainEvent.of("gift.cancelled", "gift", giftId, new JsonObject()
                  .put("gift_id", giftId.toString()).put("pot_id", r.getUUID("pot_id").toString())
                  .put("owner_user_id", r.getUUID("owner_user_id").toString()).put("cancelled_by", adminId.toString())
                  .put("reason", reason), clock.instant())));
        })).compose(v -> one(giftId, adminId, true));
  }

  /** Issued gifts past their expiry become expired ({@code gift.expired} each); SKIP LOCKED, any number of instances. */
  Future<Integer> expireDue(SqlConnection tx, int limit) {
    return tx.preparedQuery(EXPIRE_DUE).execute(Tuple.of(Times.now(clock), limit)).compose(rows -> {
      List<DomainEvent> events = new ArrayList<>();
      for (Row r : rows) {
        events.add(DomainEvent.of("gift.expired", "gift", r.getUUID("id"), new JsonObject().put("gift_id", r.getUUID("id").toString())
            .put("pot_id", r.getUUID("pot_id").toString()).put("owner_user_id", r.getUUID("owner_user_id").toString())
            .put("pack_id", r.getUUID("pack_id").toString()).put("partner_id", r.getUUID("partner_id").toString())
            .put("price_cfa", r.getLong("price_paid_cfa")), clock.instant()));
      }
      return Outbox.appendAll(tx, events).map(rows.rowCount());
    });
  }

  /** GDPR export: the user's gifts (without tokens). */
  Future<JsonObject> export(UUID owner) {
    return mine(owner);
  }

  static JsonObject view(Row r) {
    String id = r.getUUID("id").toString();
    JsonArray venues = r.getValue("partner_venues") instanceof JsonArray a ? a : new JsonArray();
    if (r.getValue("venue_restrictions") instanceof JsonArray allowed && !allowed.isEmpty()) {
      JsonArray narrowed = new JsonArray();
      venues.forEach(v -> {
        if (allowed.contains(((JsonObject) v).getString("id"))) narrowed.add(v);
      });
      venues = narrowed;
    }
    return new JsonObject().put("id", id).put("owner_user_id", r.getUUID("owner_user_id").toString())
        .put("pot_id", r.getUUID("pot_id").toString()).put("pack_id", r.getUUID("pack_id").toString())
        .put("pack_name", r.getString("pack_name"))
        .put("partner", new JsonObject().put("id", r.getUUID("partner_id").toString()).put("name", r.getString("partner_name")))
        .put("venues", venues).put("redemption_instructions", r.getString("redemption_instructions"))
        .put("status", r.getString("status")).put("price_cfa", r.getLong("price_paid_cfa"))
        .put("surplus_cfa", r.getLong("surplus_cfa")).put("raised_cfa", r.getLong("raised_cfa"))
        .put("redeemable_from", r.getOffsetDateTime("redeemable_from").toInstant().toString())
        .put("expires_at", r.getOffsetDateTime("expires_at").toInstant().toString())
        .put("redeemed_at", r.getOffsetDateTime("redeemed_at") == null ? null : r.getOffsetDateTime("redeemed_at").toInstant().toString())
        .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString())
        .put("qr_png_url", "/v1/gifts/" + id + "/qr.png").put("qr_svg_url", "/v1/gifts/" + id + "/qr.svg");
  }

  private static DomainException notFound() {
    return DomainException.notFound("gift_not_found", "No such gift.");
  }
}
