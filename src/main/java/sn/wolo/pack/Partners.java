package sn.wolo.pack;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.phone.PhoneNumbers;
import sn.wolo.platform.validation.BodyFields;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Partners (cinemas, restaurants, spas) and the users who work for them. A partner is verified,
 * then activated; it may be suspended and reactivated, and terminated for good:
 * {@code pending → active ↔ suspended → terminated}. Only an active partner's packs are on sale and
 * only an active partner redeems gifts. Its Wave mobile ({@code contact_phone}) receives the payouts.
 */
final class Partners {

  static final Set<String> TYPES = Set.of("cinema", "restaurant", "spa", "retail", "experience");
  static final Set<String> TERMS = Set.of("weekly", "monthly", "quarterly");
  static final Set<String> ROLES = Set.of("manager", "staff");
  private static final Set<String> FIELDS = Set.of("name", "type", "description", "contact_name", "contact_email", "contact_phone",
      "business_registration", "tax_id", "revenue_split_percentage", "payment_terms", "minimum_payout_cfa", "venues");
  /** Allowed status changes: from → to. */
  private static final Map<String, Set<String>> TRANSITIONS = Map.of(
      "pending", Set.of("active", "terminated"),
      "active", Set.of("suspended", "terminated"),
      "suspended", Set.of("active", "terminated"),
      "terminated", Set.of());

  private static final String COLUMNS = """
      id, name, type, description, contact_name, contact_email, contact_phone, business_registration, tax_id,
      revenue_split_percentage, payment_terms, minimum_payout_cfa, venues, status, verified_at, created_at""";

  private final Pool pool;
  private final Clock clock;

  Partners(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  Future<JsonObject> create(JsonObject body) {
    Input in = Input.read(body, true);
    return pool.preparedQuery("INSERT INTO packs.partners (name, type, description, contact_name, contact_email, contact_phone, "
            + "business_registration, tax_id, revenue_split_percentage, payment_terms, minimum_payout_cfa, venues) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, 'monthly'), COALESCE($11, 10000), $12) RETURNING " + COLUMNS)
        .execute(in.tuple()).map(rows -> view(rows.iterator().next()));
  }

  /** Changes the given fields only (status has its own operation). */
  Future<JsonObject> update(UUID id, JsonObject body) {
    Input in = Input.read(body, false);
    return pool.preparedQuery("UPDATE packs.partners SET name = COALESCE($1, name), type = COALESCE($2, type), "
            + "description = COALESCE($3, description), contact_name = COALESCE($4, contact_name), contact_email = COALESCE($5, contact_email), "
            + "contact_phone = COALESCE($6, contact_phone), business_registration = COALESCE($7, business_registration), "
            + "tax_id = COALESCE($8, tax_id), revenue_split_percentage = COALESCE($9, revenue_split_percentage), "
            + "payment_terms = COALESCE($10, payment_terms), minimum_payout_cfa = COALESCE($11, minimum_payout_cfa), "
            + "venues = COALESCE($12, venues), updated_at = now() WHERE id = $13 RETURNING " + COLUMNS)
        .execute(in.tuple().addUUID(id)).map(rows -> {
          if (rows.size() == 0) throw notFound();
          return view(rows.iterator().next());
        });
  }

  /** Records who checked the partner's documents; activation requires it. */
  Future<JsonObject> verify(UUID id, UUID adminId) {
    return pool.preparedQuery("UPDATE packs.partners SET verified_at = COALESCE(verified_at, $2), verified_by_user_id = COALESCE(verified_by_user_id, $3), "
            + "updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, Times.now(clock), adminId)).map(rows -> {
          if (rows.size() == 0) throw notFound();
          return view(rows.iterator().next());
        });
  }

  /** A status change allowed by the state machine; the row is locked so two admins cannot cross. */
  Future<JsonObject> changeStatus(UUID id, String to) {
    if (!TRANSITIONS.containsKey(to)) throw DomainException.invalid("invalid_status", "status is one of " + TRANSITIONS.keySet());
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT status, verified_at FROM packs.partners WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id)).compose(rows -> {
          if (rows.size() == 0) throw notFound();
          Row r = rows.iterator().next();
          String from = r.getString("status");
          if (!TRANSITIONS.get(from).contains(to)) {
            throw DomainException.conflict("invalid_transition", "A " + from + " partner cannot become " + to + ".");
          }
          if ("active".equals(to) && r.getOffsetDateTime("verified_at") == null) {
            throw DomainException.conflict("partner_not_verified", "Verify the partner before activating it.");
          }
          return tx.preparedQuery("UPDATE packs.partners SET status = $2, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
              .execute(Tuple.of(id, to));
        })).map(rows -> view(rows.iterator().next()));
  }

  Future<JsonObject> get(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM packs.partners WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) throw notFound();
      return view(rows.iterator().next());
    });
  }

  Future<JsonObject> list(String status) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM packs.partners WHERE ($1::text IS NULL OR status = $1) ORDER BY name LIMIT 500")
        .execute(Tuple.of(status)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(view(r)));
          return new JsonObject().put("partners", out);
        });
  }

  /** Links a user to a partner (a user works for one partner; linking again moves them). */
  Future<JsonObject> linkUser(UUID partnerId, UUID userId, String role) {
    return pool.preparedQuery("""
            INSERT INTO packs.partner_users (user_id, partner_id, role) SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM packs.partners WHERE id = $2)
            ON CONFLICT (user_id) DO UPDATE SET partner_id = EXCLUDED.partner_id, role = EXCLUDED.role RETURNING user_id""")
        .execute(Tuple.of(userId, partnerId, role))
        .recover(e -> Future.failedFuture(e.getMessage() != null && e.getMessage().contains("partner_users_user_id_fkey")
            ? DomainException.notFound("user_not_found", "No such user.") : e))
        .map(rows -> {
          if (rows.size() == 0) throw notFound();
          return new JsonObject().put("partner_id", partnerId.toString()).put("user_id", userId.toString()).put("role", role);
        });
  }

  Future<JsonObject> unlinkUser(UUID partnerId, UUID userId) {
    return pool.preparedQuery("DELETE FROM packs.partner_users WHERE partner_id = $1 AND user_id = $2").execute(Tuple.of(partnerId, userId))
        .map(rows -> {
          if (rows.rowCount() == 0) throw DomainException.notFound("partner_user_not_found", "This user does not work for this partner.");
          return new JsonObject().put("partner_id", partnerId.toString()).put("user_id", userId.toString()).put("unlinked", true);
        });
  }

  /**
   * {@code wolo.pack.partner-of}: the partner a user works for, with what a scanner needs (status,
   * venues, role); 403 {@code not_a_partner_user} when none.
   */
  Future<JsonObject> partnerOf(UUID userId) {
    return pool.preparedQuery("""
            SELECT p.id, p.name, p.status, p.venues, u.role FROM packs.partner_users u JOIN packs.partners p ON p.id = u.partner_id
            WHERE u.user_id = $1""").execute(Tuple.of(userId)).map(rows -> {
      if (rows.size() == 0) throw new DomainException(ErrorKind.FORBIDDEN, "not_a_partner_user", "This account does not work for a partner.");
      Row r = rows.iterator().next();
      return new JsonObject().put("partner_id", r.getUUID("id").toString()).put("name", r.getString("name"))
          .put("status", r.getString("status")).put("venues", venues(r)).put("role", r.getString("role"));
    });
  }

  static JsonObject view(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("name", r.getString("name")).put("type", r.getString("type"))
        .put("description", r.getString("description")).put("contact_name", r.getString("contact_name"))
        .put("contact_email", r.getString("contact_email")).put("contact_phone", r.getString("contact_phone"))
        .put("business_registration", r.getString("business_registration")).put("tax_id", r.getString("tax_id"))
        .put("revenue_split_percentage", r.getBigDecimal("revenue_split_percentage").doubleValue())
        .put("payment_terms", r.getString("payment_terms")).put("minimum_payout_cfa", r.getInteger("minimum_payout_cfa"))
        .put("venues", venues(r)).put("status", r.getString("status"))
        .put("verified_at", r.getOffsetDateTime("verified_at") == null ? null : r.getOffsetDateTime("verified_at").toInstant().toString())
        .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString());
  }

  private static JsonArray venues(Row r) {
    Object v = r.getValue("venues");
    return v instanceof JsonArray a ? a : new JsonArray();
  }

  private static DomainException notFound() {
    return DomainException.notFound("partner_not_found", "No such partner.");
  }

  /** A partner's fields as written by an admin, validated. */
  private record Input(String name, String type, String description, String contactName, String contactEmail, String contactPhone,
                       String registration, String taxId, BigDecimal split, String terms, Long minimumPayout, JsonArray venues) {

    static Input read(JsonObject body, boolean creating) {
      BodyFields f = BodyFields.collecting(body, FIELDS);   // every invalid field is reported at once
      String email = f.text("contact_email", 255, false);
      f.check("contact_email", () -> {
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
          throw DomainException.invalid("invalid_contact_email", "contact_email is an email address.");
        }
      });
      String phone = f.text("contact_phone", 32, creating);
      JsonArray venues = f.array("venues", 100, false);
      Input input = new Input(f.text("name", 255, creating), f.oneOf("type", TYPES, creating), f.text("description", 4000, false),
          f.text("contact_name", 255, false), email,
          // the Wave mobile that receives payouts
          phone == null ? null : f.rule("contact_phone", () -> PhoneNumbers.normaliseMobile(phone, Set.of("SN"))),
          f.text("business_registration", 100, false), f.text("tax_id", 50, false),
          f.percentage("revenue_split_percentage", creating), f.oneOf("payment_terms", TERMS, false),
          f.money("minimum_payout_cfa", 0, 10_000_000, false), f.rule("venues", () -> venues(venues)));
      f.throwIfInvalid();
      return input;
    }


    /** Venues: {@code [{"id","name","city","address"}]}; ids are short, unique, and given by the admin. */
    private static JsonArray venues(JsonArray raw) {
      if (raw == null) return null;
      JsonArray out = new JsonArray();
      Set<String> ids = new HashSet<>();
      for (Object o : raw) {
        if (!(o instanceof JsonObject v)) throw DomainException.invalid("invalid_venues", "Each venue is an object {id, name, city, address}.");
        BodyFields vf = BodyFields.of(v, Set.of("id", "name", "city", "address"));
        String id = vf.text("id", 64, true);
        if (!id.matches("[a-z0-9-]{1,64}") || !ids.add(id)) {
          throw DomainException.invalid("invalid_venues", "Venue ids are unique, lower-case letters, digits and dashes.");
        }
        out.add(new JsonObject().put("id", id).put("name", vf.text("name", 255, true)).put("city", vf.text("city", 100, true))
            .put("address", vf.text("address", 500, false)));
      }
      return out;
    }

    Tuple tuple() {
      return Tuple.tuple().addValue(name).addValue(type).addValue(description).addValue(contactName).addValue(contactEmail)
          .addValue(contactPhone).addValue(registration).addValue(taxId).addValue(split).addValue(terms)
          .addValue(minimumPayout == null ? null : minimumPayout.intValue()).addValue(venues);
    }
  }
}
