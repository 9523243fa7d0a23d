package sn.wolo.admin.flags;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.audit.AuditRows;
import sn.wolo.platform.errors.DomainException;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Feature flags in {@code admin.feature_flags}: admin writes (typed values checked against the
 * flag's type, targeting lists, rollout 0–100), each with its audit row in the same transaction and
 * a {@code NOTIFY wolo_flags_changed} so every server process reloads its in-memory copy at once.
 */
public final class FeatureFlags {

  public static final String CHANGED_CHANNEL = "wolo_flags_changed";
  static final Set<String> TYPES = Set.of("boolean", "string", "number", "json");
  public static final Set<String> ENVIRONMENTS = Set.of("development", "staging", "production");
  private static final String COLUMNS = """
      id, flag_key, name, description, is_enabled, flag_type, flag_value, rollout_percentage, target_user_groups,
      target_regions, target_platforms, min_app_version, environment, updated_at""";
  private static final String UPSERT = """
      INSERT INTO admin.feature_flags (flag_key, name, description, is_enabled, flag_type, flag_value, rollout_percentage,
             target_user_groups, target_regions, target_platforms, min_app_version, environment, created_by_user_id, last_modified_by_user_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
      ON CONFLICT (flag_key, environment) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
             is_enabled = EXCLUDED.is_enabled, flag_type = EXCLUDED.flag_type, flag_value = EXCLUDED.flag_value,
             rollout_percentage = EXCLUDED.rollout_percentage, target_user_groups = EXCLUDED.target_user_groups,
             target_regions = EXCLUDED.target_regions, target_platforms = EXCLUDED.target_platforms,
             min_app_version = EXCLUDED.min_app_version, last_modified_by_user_id = EXCLUDED.last_modified_by_user_id,
             updated_at = now()
      RETURNING """ + " " + COLUMNS;
  private static final String CURRENT = "SELECT " + "%s" + " FROM admin.feature_flags WHERE flag_key = $1 AND environment = $2 FOR UPDATE";

  private final Pool pool;

  public FeatureFlags(Pool pool) {
    this.pool = pool;
  }

  /** Every flag of one environment, as the evaluator reads them. */
  public Future<JsonArray> all(String environment) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM admin.feature_flags WHERE environment = $1 ORDER BY flag_key")
        .execute(Tuple.of(environment)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(toJson(r)));
          return out;
        });
  }

  /** Creates or replaces {@code flag_key} in its environment; audited; other processes told. */
  public Future<JsonObject> save(JsonObject body, AuditContext who) {
    Tuple values = validated(body, who.actor());
    return pool.withTransaction(tx -> tx.preparedQuery(CURRENT.formatted(COLUMNS)).execute(Tuple.of(values.getString(0), values.getValue(11)))
        .compose(before -> tx.preparedQuery(UPSERT).execute(values).compose(rows -> {
          JsonObject saved = toJson(rows.iterator().next());
          JsonObject old = before.size() == 0 ? null : toJson(before.iterator().next());
          return audit(tx, who, "feature_flag.saved", old, saved).compose(v -> notifyChanged(tx)).map(saved);
        })))
        .recover(e -> e instanceof PgException pg && "23514".equals(pg.getSqlState())
            ? Future.failedFuture(DomainException.invalid("invalid_flag", "The flag breaks a rule: " + pg.getErrorMessage()))
            : Future.failedFuture(e));
  }

  public Future<JsonObject> delete(String key, String environment, AuditContext who) {
    return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM admin.feature_flags WHERE flag_key = $1 AND environment = $2 RETURNING "
            + COLUMNS).execute(Tuple.of(key, environment)).compose(rows -> {
          if (rows.size() == 0) return Future.failedFuture(DomainException.notFound("flag_not_found", "No such flag in this environment."));
          JsonObject deleted = toJson(rows.iterator().next());
          return audit(tx, who, "feature_flag.deleted", deleted, null).compose(v -> notifyChanged(tx)).map(new JsonObject().put("deleted", key));
        }));
  }

  private static Future<Void> audit(SqlConnection tx, AuditContext who, String action, JsonObject before, JsonObject after) {
    UUID id = UUID.fromString((after != null ? after : before).getString("id"));
    return AuditRows.append(tx, who, AuditRows.Entry.of(action, "feature_flag", id).change(before, after), java.time.Instant.now());
  }

  /** Delivered to the listeners when the transaction commits (NOTIFY is transactional). */
  private static Future<Void> notifyChanged(SqlConnection tx) {
    return tx.query("NOTIFY " + CHANGED_CHANNEL).execute().mapEmpty();
  }

  private static Tuple validated(JsonObject b, UUID admin) {
    String key = text(b, "flag_key", 100, true);
    if (!key.matches("[a-z][a-z0-9_.-]{1,99}")) throw DomainException.invalid("invalid_flag_key", "flag_key is lower-case letters, digits, _ . -");
    String type = String.valueOf(b.getValue("flag_type", "boolean"));
    if (!TYPES.contains(type)) throw DomainException.invalid("invalid_flag_type", "flag_type is one of " + TYPES);
    Object value = b.getValue("flag_value");
    boolean typed = value == null || switch (type) {
      case "boolean" -> value instanceof Boolean;
      case "string" -> value instanceof String s && s.length() <= 1000;
      case "number" -> value instanceof Number;
      default -> value instanceof JsonObject || value instanceof JsonArray;
    };
    if (!typed) throw DomainException.invalid("invalid_flag_value", "flag_value does not match flag_type " + type + ".");
    if (!(b.getValue("is_enabled", false) instanceof Boolean enabled)) throw DomainException.invalid("invalid_is_enabled", "is_enabled is true or false.");
    if (!(b.getValue("rollout_percentage", 100) instanceof Integer rollout) || rollout < 0 || rollout > 100) {
      throw DomainException.invalid("invalid_rollout_percentage", "rollout_percentage is an integer from 0 to 100.");
    }
    String environment = String.valueOf(b.getValue("environment", "production"));
    if (!ENVIRONMENTS.contains(environment)) throw DomainException.invalid("invalid_environment", "environment is one of " + ENVIRONMENTS);
    Object min = b.getValue("min_app_version");
    if (min != null && !(min instanceof String m && m.matches("[0-9]+(\\.[0-9]+){0,2}"))) {
      throw DomainException.invalid("invalid_min_app_version", "min_app_version is like 2.4.0.");
    }
    return Tuple.from(new Object[] {key, text(b, "name", 255, true), text(b, "description", 2000, false), enabled, type,
        value, rollout, list(b, "target_user_groups"),
        list(b, "target_regions"), list(b, "target_platforms"), min, environment, admin});
  }

  private static String text(JsonObject b, String field, int max, boolean required) {
    Object v = b.getValue(field);
    if (v == null && !required) return null;
    if (!(v instanceof String s) || s.isBlank() || s.length() > max) {
      throw DomainException.invalid("invalid_" + field, field + " is text of at most " + max + " characters.");
    }
    return s;
  }

  private static String[] list(JsonObject b, String field) {
    Object v = b.getValue(field);
    if (v == null) return null;
    if (!(v instanceof JsonArray a) || a.size() > 50) throw DomainException.invalid("invalid_" + field, field + " is a list of at most 50 names.");
    List<String> out = new java.util.ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof String s) || s.isBlank() || s.length() > 50) throw DomainException.invalid("invalid_" + field, field + " holds short names.");
      out.add(s);
    }
    return out.toArray(String[]::new);
  }

  private static JsonObject toJson(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("flag_key", r.getString("flag_key"))
        .put("name", r.getString("name")).put("description", r.getString("description"))
        .put("is_enabled", r.getBoolean("is_enabled")).put("flag_type", r.getString("flag_type"))
        .put("flag_value", r.getValue("flag_value")).put("rollout_percentage", r.getInteger("rollout_percentage"))
        .put("target_user_groups", array(r.getArrayOfStrings("target_user_groups")))
        .put("target_regions", array(r.getArrayOfStrings("target_regions")))
        .put("target_platforms", array(r.getArrayOfStrings("target_platforms")))
        .put("min_app_version", r.getString("min_app_version")).put("environment", r.getString("environment"))
        .put("updated_at", r.getOffsetDateTime("updated_at").toInstant().toString());
  }

  private static JsonArray array(String[] values) {
    return values == null ? null : new JsonArray(List.of(values));
  }
}
