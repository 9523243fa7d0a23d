package sn.wolo.pack;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.validation.BodyFields;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sponsor campaigns: {@code draft → active ↔ paused → completed}. A campaign completes at
 * {@code ends_at} (a sweep) or when its budget is spent. Spending is one conditional increment
 * ({@code spent + amount <= budget}), so concurrent spends never exceed the budget and the CHECK
 * constraint never fires.
 */
final class Campaigns {

  private static final Set<String> FIELDS = Set.of("sponsor_company_name", "campaign_name", "description", "pack_categories",
      "points_multiplier", "budget_cfa", "starts_at", "ends_at");
  private static final Map<String, Set<String>> TRANSITIONS = Map.of(
      "draft", Set.of("active"), "active", Set.of("paused", "completed"), "paused", Set.of("active", "completed"), "completed", Set.of());
  private static final String COLUMNS = "id, sponsor_company_name, campaign_name, description, pack_categories, points_multiplier, "
      + "budget_cfa, spent_cfa, starts_at, ends_at, status";

  private final Pool pool;
  private final Clock clock;

  Campaigns(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  Future<JsonObject> create(JsonObject body) {
    BodyFields f = BodyFields.collecting(body, FIELDS);   // every invalid field is reported at once
    JsonArray categories = f.array("pack_categories", 10, false);
    f.check("pack_categories", () -> {
      if (categories != null && categories.stream().anyMatch(c -> !Packs.CATEGORIES.contains(c))) {
        throw DomainException.invalid("invalid_pack_categories", "pack_categories are among " + Packs.CATEGORIES);
      }
    });
    BigDecimal multiplier = f.rule("points_multiplier", () -> multiplier(body.getValue("points_multiplier")));
    OffsetDateTime starts = f.rule("starts_at", () -> instant(body, "starts_at"));
    OffsetDateTime ends = f.rule("ends_at", () -> instant(body, "ends_at"));
    f.check("ends_at", () -> {
      if (starts != null && ends != null && !ends.isAfter(starts)) throw DomainException.invalid("invalid_ends_at", "ends_at is after starts_at.");
    });
    String company = f.text("sponsor_company_name", 255, true);
    String name = f.text("campaign_name", 255, true);
    String description = f.text("description", 4000, false);
    Long budget = f.money("budget_cfa", 1, 2_000_000_000, true);
    f.throwIfInvalid();
    return pool.preparedQuery("INSERT INTO packs.sponsor_campaigns (sponsor_company_name, campaign_name, description, pack_categories, "
            + "points_multiplier, budget_cfa, starts_at, ends_at) VALUES ($1, $2, $3, $4, COALESCE($5, 1.5), $6, $7, $8) RETURNING " + COLUMNS)
        .execute(Tuple.tuple().addValue(company).addValue(name).addValue(description)
            .addValue(categories == null ? null : categories.stream().map(String::valueOf).toArray(String[]::new))
            .addValue(multiplier).addValue(budget.intValue()).addValue(starts).addValue(ends))
        .map(rows -> view(rows.iterator().next()));
  }

  Future<JsonObject> changeStatus(UUID id, String to) {
    if (!TRANSITIONS.containsKey(to)) throw DomainException.invalid("invalid_status", "status is one of " + TRANSITIONS.keySet());
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT status FROM packs.sponsor_campaigns WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id)).compose(rows -> {
          if (rows.size() == 0) throw notFound();
          String from = rows.iterator().next().getString("status");
          if (!TRANSITIONS.get(from).contains(to)) throw DomainException.conflict("invalid_transition", "A " + from + " campaign cannot become " + to + ".");
          return tx.preparedQuery("UPDATE packs.sponsor_campaigns SET status = $2, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
              .execute(Tuple.of(id, to));
        })).map(rows -> view(rows.iterator().next()));
  }

  /**
   * Spends {@code amount} of an active campaign's budget, or refuses with 409
   * {@code campaign_budget_exhausted} / {@code campaign_not_active}. The spend that reaches the
   * budget completes the campaign.
   */
  Future<JsonObject> spend(UUID id, long amount) {
    if (amount <= 0 || amount > 2_000_000_000) throw DomainException.invalid("invalid_amount_cfa", "amount_cfa is a positive whole number of francs.");
    return pool.preparedQuery("""
            UPDATE packs.sponsor_campaigns SET spent_cfa = spent_cfa + $2,
                   status = CASE WHEN spent_cfa + $2 = budget_cfa THEN 'completed' ELSE status END, updated_at = now()
            WHERE id = $1 AND status = 'active' AND starts_at <= $3 AND ends_at > $3 AND spent_cfa + $2 <= budget_cfa
            RETURNING""" + " " + COLUMNS).execute(Tuple.of(id, (int) amount, Times.now(clock))).compose(rows -> {
      if (rows.size() > 0) return Future.succeededFuture(view(rows.iterator().next()));
      return pool.preparedQuery("SELECT status, budget_cfa - spent_cfa AS left_cfa FROM packs.sponsor_campaigns WHERE id = $1")
          .execute(Tuple.of(id)).map(found -> {
            if (found.size() == 0) throw notFound();
            Row r = found.iterator().next();
            if ("active".equals(r.getString("status")) && r.getInteger("left_cfa") < amount) {
              throw DomainException.conflict("campaign_budget_exhausted", "Only " + r.getInteger("left_cfa") + " francs of the budget are left.");
            }
            throw DomainException.conflict("campaign_not_active", "The campaign is not running now.");
          });
    });
  }

  /** Completes the campaigns whose period ended; returns how many. */
  Future<Integer> completeEnded() {
    return pool.preparedQuery("UPDATE packs.sponsor_campaigns SET status = 'completed', updated_at = now() "
            + "WHERE status IN ('active', 'paused') AND ends_at <= $1").execute(Tuple.of(Times.now(clock))).map(rows -> rows.rowCount());
  }

  Future<JsonObject> list() {
    return pool.query("SELECT " + COLUMNS + " FROM packs.sponsor_campaigns ORDER BY starts_at DESC LIMIT 500").execute().map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(view(r)));
      return new JsonObject().put("campaigns", out);
    });
  }

  private static BigDecimal multiplier(Object value) {
    if (value == null) return null;
    BigDecimal multiplier;
    try {
      multiplier = new BigDecimal(String.valueOf(value));
    } catch (NumberFormatException e) {
      multiplier = BigDecimal.ZERO;   // refused below
    }
    if (multiplier.signum() <= 0 || multiplier.compareTo(BigDecimal.TEN) >= 0 || multiplier.scale() > 2) {
      throw DomainException.invalid("invalid_points_multiplier", "points_multiplier is above 0 and below 10, two decimals at most.");
    }
    return multiplier;
  }

  private static OffsetDateTime instant(JsonObject body, String name) {
    try {
      if (body.getValue(name) instanceof String s) return OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      // refused below
    }
    throw DomainException.invalid("invalid_" + name, name + " is an ISO-8601 date-time with an offset.");
  }

  private static JsonObject view(Row r) {
    String[] categories = r.getArrayOfStrings("pack_categories");
    return new JsonObject().put("id", r.getUUID("id").toString()).put("sponsor_company_name", r.getString("sponsor_company_name"))
        .put("campaign_name", r.getString("campaign_name")).put("description", r.getString("description"))
        .put("pack_categories", categories == null ? new JsonArray() : new JsonArray(java.util.List.of((Object[]) categories)))
        .put("points_multiplier", r.getBigDecimal("points_multiplier").doubleValue())
        .put("budget_cfa", r.getInteger("budget_cfa")).put("spent_cfa", r.getInteger("spent_cfa"))
        .put("starts_at", r.getOffsetDateTime("starts_at").toInstant().toString())
        .put("ends_at", r.getOffsetDateTime("ends_at").toInstant().toString()).put("status", r.getString("status"));
  }

  private static DomainException notFound() {
    return DomainException.notFound("campaign_not_found", "No such campaign.");
  }
}
