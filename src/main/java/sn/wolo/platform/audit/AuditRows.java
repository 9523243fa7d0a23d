package sn.wolo.platform.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.privacy.PersonalFields;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * Writes one row of the audit trail ({@code admin.audit_logs}, append-only) in the caller's
 * transaction, like the outbox: the change and its evidence commit or roll back together. Personal
 * and secret values in {@code old}/{@code new} are masked before they are stored. A row whose
 * metadata carries an {@code event_id} is written once per event (a redelivery adds nothing).
 */
public final class AuditRows {

  private static final String INSERT = """
      INSERT INTO admin.audit_logs (actor_user_id, actor_type, actor_ip, action, resource_type, resource_id, old_values, new_values,
                                    reason, metadata, "timestamp", request_id, user_agent)
      VALUES ($1, $2, CAST($3::text AS inet), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
      ON CONFLICT ((metadata ->> 'event_id')) WHERE (metadata ->> 'event_id') IS NOT NULL DO NOTHING""";

  private AuditRows() {
  }

  /** One audited action on a resource; {@code resourceId} may be null (a list, a run). */
  public record Entry(String action, String resourceType, UUID resourceId, JsonObject oldValues, JsonObject newValues,
                      String reason, JsonObject metadata) {

    public static Entry of(String action, String resourceType, UUID resourceId) {
      return new Entry(action, resourceType, resourceId, null, null, null, null);
    }

    public Entry change(JsonObject before, JsonObject after) {
      return new Entry(action, resourceType, resourceId, before, after, reason, metadata);
    }

    public Entry because(String why) {
      return new Entry(action, resourceType, resourceId, oldValues, newValues, why, metadata);
    }

    public Entry with(JsonObject meta) {
      return new Entry(action, resourceType, resourceId, oldValues, newValues, reason, meta);
    }
  }

  public static Future<Void> append(SqlClient tx, AuditContext who, Entry e, Instant at) {
    return tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {who.actor(), who.actor() == null ? "system" : "user", who.ip(),
        e.action(), e.resourceType(), e.resourceId(), mask(e.oldValues()), mask(e.newValues()), e.reason(), e.metadata(),
        at.atOffset(ZoneOffset.UTC), who.requestId(), who.userAgent()})).mapEmpty();
  }

  /** A copy with secrets replaced by {@code "***"} and personal values reduced to their last two characters. */
  public static JsonObject mask(JsonObject values) {
    if (values == null) return null;
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> f : values) out.put(f.getKey(), masked(f.getKey(), f.getValue()));
    return out;
  }

  private static Object masked(String key, Object value) {
    if (value == null) return null;
    if (PersonalFields.SECRET.contains(key)) return "***";
    if (PersonalFields.PERSONAL.contains(key) && value instanceof String s) return s.length() <= 2 ? "***" : "***" + s.substring(s.length() - 2);
    if (value instanceof JsonObject o) return mask(o);
    if (value instanceof JsonArray a) {
      JsonArray copy = new JsonArray();
      a.forEach(v -> copy.add(v instanceof JsonObject o ? mask(o) : v));
      return copy;
    }
    return value;
  }
}
