package sn.wolo.pack;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.LocalDate;

/** A pack row (joined with its partner) as the catalogue and the admin console show it. */
final class PackViews {

  /** Every query of a pack joins its partner: the venues and the partner's status decide what is on sale (no partner: never). */
  static final String SELECT = """
      SELECT p.id, p.name, p.description, p.category, p.base_price_cfa, p.discounted_price_cfa, p.is_active, p.available_from,
             p.available_until, p.max_redemptions_per_user, p.total_available_quantity, p.image_url, p.partner_id,
             p.venue_restrictions, p.terms_and_conditions, p.redemption_instructions, p.validity_days, p.updated_at,
             pr.name AS partner_name, pr.status AS partner_status, pr.venues AS partner_venues, pr.revenue_split_percentage
      FROM packs.packs p LEFT JOIN packs.partners pr ON pr.id = p.partner_id""";

  /** On sale on Dakar day {@code $1}: active pack of an active partner, inside its window, with stock left. */
  static final String ON_SALE = """
      p.is_active AND pr.status = 'active' AND (p.available_from IS NULL OR p.available_from <= $1)
      AND (p.available_until IS NULL OR p.available_until >= $1)
      AND (p.total_available_quantity IS NULL OR p.total_available_quantity > 0)""";

  private PackViews() {
  }

  static long price(Row r) {
    Integer discounted = r.getInteger("discounted_price_cfa");
    return discounted != null ? discounted : r.getInteger("base_price_cfa");
  }

  /** What the mobile app shows: the price to pay, the partner and the venues where it is honoured. */
  static JsonObject forPublic(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("name", r.getString("name"))
        .put("description", r.getString("description")).put("category", r.getString("category"))
        .put("price_cfa", price(r)).put("base_price_cfa", r.getInteger("base_price_cfa"))
        .put("discounted_price_cfa", r.getInteger("discounted_price_cfa"))
        .put("partner", r.getUUID("partner_id") == null ? null
            : new JsonObject().put("id", r.getUUID("partner_id").toString()).put("name", r.getString("partner_name")))
        .put("venues", venues(r)).put("validity_days", r.getInteger("validity_days"))
        .put("max_redemptions_per_user", r.getInteger("max_redemptions_per_user"))
        .put("stock_left", r.getInteger("total_available_quantity")).put("image_url", r.getString("image_url"))
        .put("terms_and_conditions", r.getString("terms_and_conditions"))
        .put("redemption_instructions", r.getString("redemption_instructions"))
        .put("available_from", date(r.getLocalDate("available_from"))).put("available_until", date(r.getLocalDate("available_until")));
  }

  static JsonObject admin(Row r) {
    return forPublic(r).put("is_active", r.getBoolean("is_active")).put("partner_status", r.getString("partner_status"))
        .put("venue_restrictions", r.getValue("venue_restrictions"))
        .put("revenue_split_percentage", r.getBigDecimal("revenue_split_percentage") == null ? null
            : r.getBigDecimal("revenue_split_percentage").doubleValue());
  }

  /** The partner's venues, narrowed to the pack's restrictions when it has some. */
  static JsonArray venues(Row r) {
    JsonArray all = r.getValue("partner_venues") instanceof JsonArray a ? a : new JsonArray();
    if (!(r.getValue("venue_restrictions") instanceof JsonArray allowed) || allowed.isEmpty()) return all;
    JsonArray out = new JsonArray();
    all.forEach(v -> {
      if (allowed.contains(((JsonObject) v).getString("id"))) out.add(v);
    });
    return out;
  }

  private static String date(LocalDate d) {
    return d == null ? null : d.toString();
  }
}
