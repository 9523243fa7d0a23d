package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.util.UUID;

/** A user's referral data for their GDPR export. */
record ReferralExport(Pool pool) {

  /** GDPR export: my code, the invitations I sent (with the contacts I typed), my own referral, my points and conversions. */
  Future<JsonObject> of(UUID id) {
    io.vertx.sqlclient.Tuple me = io.vertx.sqlclient.Tuple.of(id);
    Future<JsonObject> code = pool.preparedQuery("SELECT code FROM referrals.referral_codes WHERE user_id = $1").execute(me)
        .map(rows -> new JsonObject().put("referral_code", rows.size() == 0 ? null : rows.iterator().next().getString("code")));
    Future<JsonArray> sent = rows("""
        SELECT id, invited_name, invited_phone, channel, status, sent_at, accepted_at FROM referrals.referrals
        WHERE sponsor_user_id = $1 ORDER BY sent_at""", me);
    Future<JsonArray> referredBy = rows("SELECT id, sponsor_user_id, accepted_at FROM referrals.referrals WHERE sponsored_user_id = $1", me);
    Future<JsonArray> points = rows("""
        SELECT event_type, points_earned, points_spent, status, matures_at, created_at FROM referrals.points_ledger
        WHERE sponsor_user_id = $1 ORDER BY created_at""", me);
    Future<JsonArray> conversions = rows("""
        SELECT points_converted, credits_issued, applied_to_pot_id, created_at FROM referrals.points_conversions
        WHERE sponsor_user_id = $1 ORDER BY created_at""", me);
    return Future.all(code, sent, referredBy, points, conversions).map(v -> code.result().put("invitations_sent", sent.result())
        .put("referred_by", referredBy.result()).put("points_ledger", points.result()).put("conversions", conversions.result()));
  }

  private Future<JsonArray> rows(String sql, io.vertx.sqlclient.Tuple params) {
    return pool.preparedQuery(sql).execute(params).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(r.toJson()));
      return out;
    });
  }
}
