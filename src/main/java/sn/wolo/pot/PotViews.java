package sn.wolo.pot;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** JSON shapes of a pot. */
final class PotViews {

  private PotViews() {
  }

  static JsonObject owner(Row r) {
    UUID pack = r.getUUID("preferred_pack_id");
    return new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("owner_user_id", r.getUUID("owner_user_id").toString())
        .put("title", r.getString("title"))
        .put("description", r.getString("description"))
        .put("target_amount_cfa", r.getInteger("target_amount_cfa"))
        .put("raised_cfa", r.getLong("raised_cfa"))
        .put("referral_credit_cfa", r.getLong("referral_credit_cfa"))   // part of raised_cfa: the owner's points, not donations
        .put("succeeded_donations", r.getInteger("succeeded_donations"))
        .put("birthday_date", r.getLocalDate("birthday_date").toString())
        .put("scheduled_open_at", time(r.getOffsetDateTime("scheduled_open_at")))
        .put("closes_at", time(r.getOffsetDateTime("closes_at")))
        .put("actual_opened_at", time(r.getOffsetDateTime("actual_opened_at")))
        .put("closed_at", time(r.getOffsetDateTime("closed_at")))
        .put("status", r.getString("status"))
        .put("visibility", r.getString("visibility"))
        .put("preferred_pack_id", pack == null ? null : pack.toString())
        .put("allow_anonymous_donations", r.getBoolean("allow_anonymous_donations"))
        .put("show_donor_names", r.getBoolean("show_donor_names"))
        .put("enable_messages", r.getBoolean("enable_messages"))
        .put("share_count", r.getLong("share_count"))
        .put("view_count", r.getLong("view_count"))
        .put("cover_image_url", r.getString("cover_image_url"))
        .put("created_at", time(r.getOffsetDateTime("created_at")))
        // After conversion: what the gift cost and the surplus left on the pot (price + surplus = raised then).
        .put("gift", r.getOffsetDateTime("gift_converted_at") == null ? null : new JsonObject()
            .put("converted_at", time(r.getOffsetDateTime("gift_converted_at")))
            .put("price_cfa", r.getLong("gift_price_cfa")).put("surplus_cfa", r.getLong("gift_surplus_cfa")));
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
