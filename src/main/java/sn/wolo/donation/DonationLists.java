package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.pot.api.PotView;
import sn.wolo.pot.api.Pots;

import java.util.UUID;

/** The lists of donations people read: the donor's own, a pot's as its owner sees it, a user's export. */
record DonationLists(Pots pots, Pool pool) {

  /**
   * {@code wolo.donation.mine} {@code {"user_id","phone"?,"cursor"?,"limit"}}: the donations a user made — signed in, or as a
   * guest with the phone their account now has — newest first, by keyset pages.
   */
  Future<JsonObject> mine(JsonObject req) {
    int limit = req.getInteger("limit", 20);
    sn.wolo.platform.db.Cursor after = sn.wolo.platform.db.Cursor.decode(req.getString("cursor"));
    return pool.preparedQuery("""
            SELECT id, pot_id, amount_cfa, status, is_anonymous, show_amount, donation_message, initiated_at, confirmed_at
            FROM donations.donations
            WHERE (donor_user_id = $1 OR ($2::text IS NOT NULL AND donor_phone = $2))
              AND ($3::timestamptz IS NULL OR (initiated_at, id) < ($3, $4))
            ORDER BY initiated_at DESC, id DESC LIMIT $5""")
        .execute(Tuple.tuple().addUUID(UUID.fromString(req.getString("user_id"))).addString(req.getString("phone"))
            .addValue(after == null ? null : after.at()).addValue(after == null ? null : after.id()).addInteger(limit + 1))
        .map(rows -> sn.wolo.platform.db.Cursor.page(rows, limit, "initiated_at", r -> new JsonObject()
            .put("id", r.getUUID("id").toString()).put("pot_id", r.getUUID("pot_id").toString())
            .put("amount_cfa", r.getInteger("amount_cfa")).put("status", r.getString("status"))
            .put("is_anonymous", r.getBoolean("is_anonymous")).put("show_amount", r.getBoolean("show_amount"))
            .put("message", r.getString("donation_message"))
            .put("initiated_at", r.getOffsetDateTime("initiated_at").toInstant().toString())
            .put("confirmed_at", r.getOffsetDateTime("confirmed_at") == null ? null : r.getOffsetDateTime("confirmed_at").toInstant().toString())));
  }

  /**
   * A pot's donations as its owner sees them, newest first, by keyset pages: the donor's name unless
   * they gave anonymously, the amount unless they hid it, their message. Paid (and refunded) ones only.
   */
  Future<JsonObject> forPot(JsonObject req) {
    int limit = req.getInteger("limit", 20);
    sn.wolo.platform.db.Cursor after = sn.wolo.platform.db.Cursor.decode(req.getString("cursor"));
    return pool.preparedQuery("""
            SELECT id, amount_cfa, donor_name, donation_message, is_anonymous, show_amount, status, confirmed_at
            FROM donations.donations
            WHERE pot_id = $1 AND status IN ('succeeded', 'refunded')
              AND ($2::timestamptz IS NULL OR (confirmed_at, id) < ($2, $3))
            ORDER BY confirmed_at DESC, id DESC LIMIT $4""")
        .execute(Tuple.tuple().addUUID(UUID.fromString(req.getString("pot_id"))).addValue(after == null ? null : after.at())
            .addValue(after == null ? null : after.id()).addInteger(limit + 1))
        .map(rows -> sn.wolo.platform.db.Cursor.page(rows, limit, "confirmed_at", r -> new JsonObject()
            .put("id", r.getUUID("id").toString())
            .put("donor_name", r.getBoolean("is_anonymous") ? null : r.getString("donor_name"))
            .put("amount_cfa", r.getBoolean("show_amount") ? r.getInteger("amount_cfa") : null)
            .put("message", r.getString("donation_message")).put("status", r.getString("status"))
            .put("confirmed_at", r.getOffsetDateTime("confirmed_at").toInstant().toString())));
  }

  /** GDPR export: the donations the user made while signed in (amounts, messages, names as given, states), and those received. */
  Future<JsonObject> export(UUID user) {
    String userId = user.toString();
    return pool.preparedQuery("""
            SELECT id, pot_id, amount_cfa, donor_name, donor_phone, donation_message, is_anonymous, show_amount, status, initiated_at, confirmed_at
            FROM donations.donations WHERE donor_user_id = $1 ORDER BY initiated_at""").execute(Tuple.of(UUID.fromString(userId))).map(rows -> {
      JsonArray made = new JsonArray();
      rows.forEach(r -> made.add(new JsonObject().put("id", r.getUUID("id").toString()).put("pot_id", r.getUUID("pot_id").toString())
          .put("amount_cfa", r.getInteger("amount_cfa")).put("donor_name", r.getString("donor_name")).put("donor_phone", r.getString("donor_phone"))
          .put("message", r.getString("donation_message")).put("is_anonymous", r.getBoolean("is_anonymous"))
          .put("show_amount", r.getBoolean("show_amount")).put("status", r.getString("status"))
          .put("initiated_at", r.getOffsetDateTime("initiated_at").toInstant().toString())
          .put("confirmed_at", r.getOffsetDateTime("confirmed_at") == null ? null : r.getOffsetDateTime("confirmed_at").toInstant().toString())));
      return new JsonObject().put("donations_made", made);
    }).compose(out -> received(user).map(list -> out.put("donations_received", list)));
  }

  /** Donations to the user's pots as their owner sees them: anonymous donors unnamed, hidden amounts hidden. */
  private Future<JsonArray> received(UUID owner) {
    return pots.mine(owner).compose(mine -> {
      UUID[] pots = mine.pots().stream().map(PotView::id).toArray(UUID[]::new);
      return pool.preparedQuery("""
              SELECT pot_id, amount_cfa, donor_name, donation_message, is_anonymous, show_amount, status, confirmed_at FROM donations.donations
              WHERE pot_id = ANY($1) AND status IN ('succeeded', 'refunded') ORDER BY confirmed_at""").execute(Tuple.of((Object) pots))
          .map(rows -> {
            JsonArray list = new JsonArray();
            rows.forEach(r -> list.add(new JsonObject().put("pot_id", r.getUUID("pot_id").toString())
                .put("amount_cfa", r.getBoolean("show_amount") ? r.getInteger("amount_cfa") : null)
                .put("donor_name", r.getBoolean("is_anonymous") ? null : r.getString("donor_name")).put("message", r.getString("donation_message"))
                .put("status", r.getString("status")).put("confirmed_at", r.getOffsetDateTime("confirmed_at").toInstant().toString())));
            return list;
          });
    });
  }
}
