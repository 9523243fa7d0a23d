package sn.wolo.admin.config;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.audit.AuditRows;
import sn.wolo.platform.config.RuntimeSettings;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.security.KeyRing;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runtime business parameters ({@code admin.system_config}, one row per key and environment): a
 * value is checked against its type and JSON-Schema rules before it is stored, sensitive ones are
 * encrypted with the field-encryption key and masked on read, every change is audited in its
 * transaction and announced ({@code NOTIFY wolo_config_changed}) so every instance reloads it.
 */
public final class SystemConfig {

  public static final String CHANGED_CHANNEL = "wolo_config_changed";
  private static final String PURPOSE = "system-config";
  private static final String MASK = "***";
  private static final String ROWS = """
      SELECT config_key, config_value, is_sensitive, last_modified_by_user_id, updated_at FROM admin.system_config WHERE environment = $1""";
  private static final String CURRENT = "SELECT config_value, is_sensitive FROM admin.system_config WHERE config_key = $1 AND environment = $2 FOR UPDATE";
  private static final String UPSERT = """
      INSERT INTO admin.system_config (config_key, config_value, description, data_type, is_sensitive, validation_rules, environment,
                                       last_modified_by_user_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (config_key, environment) DO UPDATE SET config_value = EXCLUDED.config_value, description = EXCLUDED.description,
             data_type = EXCLUDED.data_type, is_sensitive = EXCLUDED.is_sensitive, validation_rules = EXCLUDED.validation_rules,
             last_modified_by_user_id = EXCLUDED.last_modified_by_user_id""";

  private final Pool pool;
  private final KeyRing keys;
  private final RuntimeSettings settings;
  private final Clock clock;
  private final Map<String, Validator> validators = new HashMap<>();

  public SystemConfig(Pool pool, KeyRing keys, RuntimeSettings settings, Clock clock) {
    this.pool = pool;
    this.keys = keys;
    this.settings = settings;
    this.clock = clock;
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://wolo.sn/schemas/config/");
    Tunables.ALL.values().forEach(t -> validators.put(t.key(), Validator.create(JsonSchema.of(t.rules()), options)));
  }

  /** Every tunable: its default, the stored value (masked when sensitive), the rules. */
  public Future<JsonObject> list(String environment) {
    return pool.preparedQuery(ROWS).execute(Tuple.of(environment)).map(rows -> {
      Map<String, Row> stored = new HashMap<>();
      rows.forEach(r -> stored.put(r.getString("config_key"), r));
      JsonArray items = new JsonArray();
      for (Tunables.Tunable t : Tunables.ALL.values()) {
        Row r = stored.get(t.key());
        items.add(new JsonObject().put("key", t.key()).put("data_type", t.dataType()).put("description", t.description())
            .put("is_sensitive", t.sensitive()).put("validation_rules", t.rules())
            .put("default", t.sensitive() ? MASK : settings.defaultInteger(t.key()))
            .put("value", r == null ? null : t.sensitive() ? MASK : r.getValue("config_value"))
            .put("effective", t.sensitive() ? MASK : settings.integer(t.key()))   // what this instance applies now
            .put("updated_at", r == null ? null : r.getOffsetDateTime("updated_at").toInstant().toString())
            .put("updated_by", r == null || r.getUUID("last_modified_by_user_id") == null ? null : r.getUUID("last_modified_by_user_id").toString()));
      }
      return new JsonObject().put("environment", environment).put("items", items);
    });
  }

  /** {@code {"value","reason"?}} for {@code key}: validated, stored (encrypted when sensitive), audited, announced. */
  public Future<JsonObject> put(String key, String environment, Object value, String reason, AuditContext who) {
    Tunables.Tunable t = tunable(key);
    OutputUnit checked = validators.get(key).validate(value);
    if (!Boolean.TRUE.equals(checked.getValid())) {
      String why = checked.getErrors() == null || checked.getErrors().isEmpty() ? "does not match " + t.rules().encode()
          : checked.getErrors().get(0).getError();
      throw DomainException.invalid("invalid_value", "value for " + key + ": " + why);
    }
    Object stored = t.sensitive() ? keys.encrypt(PURPOSE, String.valueOf(value)) : value;
    return pool.withTransaction(tx -> tx.preparedQuery(CURRENT).execute(Tuple.of(key, environment)).compose(before -> {
          Object old = before.size() == 0 ? null : t.sensitive() ? MASK : before.iterator().next().getValue("config_value");
          return tx.preparedQuery(UPSERT).execute(Tuple.from(new Object[] {key, stored, t.description(), t.dataType(), t.sensitive(),
                  t.rules(), environment, who.actor()}))
              .compose(v -> audit(tx, who, "system_config.changed", key, environment, old, t.sensitive() ? MASK : value, reason));
        }))
        .map(v -> new JsonObject().put("key", key).put("environment", environment).put("value", t.sensitive() ? MASK : value));
  }

  /** Back to the default of the configuration file. */
  public Future<JsonObject> reset(String key, String environment, String reason, AuditContext who) {
    Tunables.Tunable t = tunable(key);
    return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM admin.system_config WHERE config_key = $1 AND environment = $2 RETURNING config_value")
            .execute(Tuple.of(key, environment)).compose(rows -> {
              if (rows.size() == 0) return Future.failedFuture(DomainException.notFound("config_not_set", "This key has no stored value; it uses its default."));
              Object old = t.sensitive() ? MASK : rows.iterator().next().getValue("config_value");
              return audit(tx, who, "system_config.reset", key, environment, old, null, reason);
            }))
        .map(v -> new JsonObject().put("key", key).put("environment", environment).put("value", null));
  }

  /** The stored values of {@code environment}, decrypted: this process's copy for {@link RuntimeSettings}. */
  public Future<JsonObject> values(String environment) {
    return pool.preparedQuery(ROWS).execute(Tuple.of(environment)).map(rows -> {
      JsonObject values = new JsonObject();
      for (Row r : rows) {
        Tunables.Tunable t = Tunables.ALL.get(r.getString("config_key"));
        if (t == null) continue;   // a key no longer tunable is ignored, its default applies
        Object v = r.getValue("config_value");
        values.put(t.key(), r.getBoolean("is_sensitive") ? Long.parseLong(keys.decrypt(PURPOSE, String.valueOf(v))) : v);
      }
      return values;
    });
  }

  private Future<Void> audit(SqlConnection tx, AuditContext who, String action, String key, String environment, Object old, Object now,
                             String reason) {
    JsonObject meta = new JsonObject().put("config_key", key).put("environment", environment);
    return AuditRows.append(tx, who, AuditRows.Entry.of(action, "system_config", null)
            .change(new JsonObject().put("value", old), new JsonObject().put("value", now)).because(reason).with(meta), clock.instant())
        .compose(v -> tx.query("NOTIFY " + CHANGED_CHANNEL).execute().mapEmpty());
  }

  private static Tunables.Tunable tunable(String key) {
    Tunables.Tunable t = Tunables.ALL.get(key);
    if (t == null) throw DomainException.notFound("unknown_config_key", "No tunable parameter " + (key.length() > 60 ? key.substring(0, 60) : key) + ".");
    return t;
  }
}
