package sn.wolo.pack;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.validation.BodyFields;

import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

/**
 * The catalogue as admins write it. Prices are whole XOF; a discount is below the base price;
 * {@code total_available_quantity} is the stock left (absent: unlimited); venue restrictions name
 * venue ids of the pack's partner. The partner's {@code revenue_split_percentage} decides the split
 * of what the pack earns, not the pack.
 */
final class Packs {

  static final Set<String> CATEGORIES = Set.of("cinema", "restaurant", "spa", "experience");
  private static final Set<String> FIELDS = Set.of("name", "description", "category", "base_price_cfa", "discounted_price_cfa",
      "is_active", "available_from", "available_until", "max_redemptions_per_user", "total_available_quantity", "image_url",
      "partner_id", "venue_restrictions", "terms_and_conditions", "redemption_instructions", "validity_days");
  private static final long MAX_PRICE = 10_000_000;

  private final Pool pool;

  Packs(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> create(JsonObject body) {
    Input in = Input.read(body, true);
    return checkVenues(in).compose(v -> pool.preparedQuery("""
            INSERT INTO packs.packs (name, description, category, base_price_cfa, discounted_price_cfa, is_active, available_from,
              available_until, max_redemptions_per_user, total_available_quantity, image_url, partner_id, venue_restrictions,
              terms_and_conditions, redemption_instructions, validity_days)
            VALUES ($1, $2, $3, $4, $5, COALESCE($6, true), $7, $8, COALESCE($9, 1), $10, $11, $12, $13, $14, $15, COALESCE($16, 90))
            RETURNING id""").execute(in.tuple()))
        .recover(Packs::constraint)
        .compose(rows -> get(rows.iterator().next().getUUID("id")));
  }

  Future<JsonObject> update(UUID id, JsonObject body) {
    Input in = Input.read(body, false);
    return checkVenues(in).compose(v -> pool.preparedQuery("""
            UPDATE packs.packs SET name = COALESCE($1, name), description = COALESCE($2, description), category = COALESCE($3, category),
              base_price_cfa = COALESCE($4, base_price_cfa), discounted_price_cfa = CASE WHEN $17 THEN $5 ELSE discounted_price_cfa END,
              is_active = COALESCE($6, is_active), available_from = CASE WHEN $18 THEN $7 ELSE available_from END,
              available_until = CASE WHEN $19 THEN $8 ELSE available_until END,
              max_redemptions_per_user = COALESCE($9, max_redemptions_per_user),
              total_available_quantity = CASE WHEN $20 THEN $10 ELSE total_available_quantity END, image_url = COALESCE($11, image_url),
              partner_id = COALESCE($12, partner_id), venue_restrictions = CASE WHEN $21 THEN $13 ELSE venue_restrictions END,
              terms_and_conditions = COALESCE($14, terms_and_conditions), redemption_instructions = COALESCE($15, redemption_instructions),
              validity_days = COALESCE($16, validity_days), updated_at = now()
            WHERE id = $22 RETURNING id""")
        // nullable fields are cleared by an explicit null, kept when absent
        .execute(in.tuple().addBoolean(body.containsKey("discounted_price_cfa")).addBoolean(body.containsKey("available_from"))
            .addBoolean(body.containsKey("available_until")).addBoolean(body.containsKey("total_available_quantity"))
            .addBoolean(body.containsKey("venue_restrictions")).addUUID(id)))
        .recover(Packs::constraint)
        .compose(rows -> {
          if (rows.rowCount() == 0) throw DomainException.notFound("pack_not_found", "No such pack.");
          return get(id);
        });
  }

  /** Admin view: any pack, on sale or not. */
  Future<JsonObject> get(UUID id) {
    return pool.preparedQuery(PackViews.SELECT + " WHERE p.id = $1").execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("pack_not_found", "No such pack.");
      return PackViews.admin(rows.iterator().next());
    });
  }

  Future<JsonObject> list(UUID partnerId) {
    return pool.preparedQuery(PackViews.SELECT + " WHERE ($1::uuid IS NULL OR p.partner_id = $1) ORDER BY p.name LIMIT 500")
        .execute(Tuple.of(partnerId)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(PackViews.admin(r)));
          return new JsonObject().put("packs", out);
        });
  }

  /** Venue restrictions must name venues of the partner (its current list). */
  private Future<Void> checkVenues(Input in) {
    if (in.venues() == null || in.partnerId() == null) return Future.succeededFuture();
    return pool.preparedQuery("SELECT venues FROM packs.partners WHERE id = $1").execute(Tuple.of(in.partnerId())).map(rows -> {
      if (rows.size() == 0) throw DomainException.invalid("invalid_partner_id", "No such partner.");
      Object venues = rows.iterator().next().getValue("venues");
      Set<Object> known = venues instanceof JsonArray a ? a.stream().map(o -> ((JsonObject) o).getString("id")).collect(java.util.stream.Collectors.toSet()) : Set.of();
      for (Object id : in.venues()) {
        if (!known.contains(id)) throw DomainException.invalid("invalid_venue_restrictions", "The partner has no venue '" + id + "'.");
      }
      return null;
    });
  }

  private static <T> Future<T> constraint(Throwable e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.contains("check_discount")) return Future.failedFuture(DomainException.invalid("invalid_discounted_price_cfa", "The discount is from 1 franc to the base price."));
    if (m.contains("check_availability")) return Future.failedFuture(DomainException.invalid("invalid_available_until", "available_until is on or after available_from."));
    if (m.contains("fk_") || m.contains("partner_id_fkey")) return Future.failedFuture(DomainException.invalid("invalid_partner_id", "No such partner."));
    return Future.failedFuture(e);
  }

  private record Input(String name, String description, String category, Long basePrice, Long discountedPrice, Boolean active,
                       LocalDate from, LocalDate until, Integer maxPerUser, Integer quantity, String imageUrl, UUID partnerId,
                       JsonArray venues, String terms, String instructions, Integer validityDays) {

    static Input read(JsonObject body, boolean creating) {
      BodyFields f = BodyFields.collecting(body, FIELDS);   // every invalid field is reported at once
      String image = f.text("image_url", 500, false);
      f.check("image_url", () -> {
        if (image != null && !image.startsWith("https://")) throw DomainException.invalid("invalid_image_url", "image_url is an https URL.");
      });
      JsonArray venues = f.array("venue_restrictions", 100, false);
      f.check("venue_restrictions", () -> {
        if (venues != null && venues.stream().anyMatch(v -> !(v instanceof String))) {
          throw DomainException.invalid("invalid_venue_restrictions", "venue_restrictions lists venue ids.");
        }
      });
      Input input = new Input(f.text("name", 255, creating), f.text("description", 4000, creating), f.oneOf("category", CATEGORIES, creating),
          f.money("base_price_cfa", 1, MAX_PRICE, creating), f.money("discounted_price_cfa", 1, MAX_PRICE, false), f.bool("is_active", false),
          f.date("available_from", false), f.date("available_until", false), f.integer("max_redemptions_per_user", 1, 100, false),
          f.integer("total_available_quantity", 0, 10_000_000, false), image, f.uuid("partner_id", creating), venues,
          f.text("terms_and_conditions", 10_000, false), f.text("redemption_instructions", 4000, false),
          f.integer("validity_days", 1, 730, false));
      f.throwIfInvalid();
      return input;
    }

    Tuple tuple() {
      return Tuple.tuple().addValue(name).addValue(description).addValue(category)
          .addValue(basePrice == null ? null : basePrice.intValue()).addValue(discountedPrice == null ? null : discountedPrice.intValue())
          .addValue(active).addValue(from).addValue(until).addValue(maxPerUser).addValue(quantity).addValue(imageUrl).addValue(partnerId)
          .addValue(venues).addValue(terms).addValue(instructions).addValue(validityDays);
    }
  }
}
