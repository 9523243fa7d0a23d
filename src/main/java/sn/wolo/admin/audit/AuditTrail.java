package sn.wolo.admin.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.audit.AuditRows;
import sn.wolo.platform.db.Cursor;
import sn.wolo.platform.events.DomainEvent;

import java.util.UUID;

/**
 * The audit trail (5-year retention, append-only by trigger): the rows written from the domains'
 * events (ID verifications, completed payouts, suspicious scans, erasures; a redelivered event is
 * absorbed by the unique event id in the row's metadata), and the keyset pages admins read.
 */
public final class AuditTrail {

  private static final String PAGE = """
      SELECT id, actor_user_id, actor_type, host(actor_ip) AS ip, action, resource_type, resource_id, old_values, new_values, reason,
             metadata, "timestamp", request_id, user_agent
      FROM admin.audit_logs
      WHERE ($1::uuid IS NULL OR actor_user_id = $1) AND ($2::text IS NULL OR resource_type = $2) AND ($3::uuid IS NULL OR resource_id = $3)
        AND ($4::text IS NULL OR action = $4) AND ($5::timestamptz IS NULL OR "timestamp" >= $5) AND ($6::timestamptz IS NULL OR "timestamp" < $6)
        AND ($7::timestamptz IS NULL OR ("timestamp", id) < ($7, $8))
      ORDER BY "timestamp" DESC, id DESC LIMIT $9""";

  private final Pool pool;

  public AuditTrail(Pool pool) {
    this.pool = pool;
  }

  /** Records {@code e} as {@code action} on a resource; {@code actor} null means the system did it. Once per event. */
  public Future<Void> record(SqlConnection tx, DomainEvent e, String action, String resourceType, String resourceId, String actor, String reason) {
    AuditContext who = new AuditContext(actor == null ? null : UUID.fromString(actor), null, null, null);
    return AuditRows.append(tx, who, AuditRows.Entry.of(action, resourceType, resourceId == null ? null : UUID.fromString(resourceId))
        .change(null, e.payload()).because(reason)
        .with(new JsonObject().put("event_id", e.eventId().toString()).put("event_type", e.type())), e.occurredAt());
  }

  /** One page newest first; every filter optional ({@link AuditFilter}). */
  public Future<JsonObject> page(AuditFilter f) {
    Cursor after = Cursor.decode(f.cursor());
    return pool.preparedQuery(PAGE).execute(Tuple.tuple().addUUID(f.actor()).addString(f.resourceType()).addUUID(f.resourceId())
            .addString(f.action()).addValue(f.from()).addValue(f.to()).addValue(after == null ? null : after.at())
            .addUUID(after == null ? null : after.id()).addInteger(f.limit() + 1))
        .map(rows -> Cursor.page(rows, f.limit(), "timestamp", AuditTrail::view));
  }

  private static JsonObject view(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString())
        .put("actor_user_id", r.getUUID("actor_user_id") == null ? null : r.getUUID("actor_user_id").toString())
        .put("actor_type", r.getString("actor_type")).put("actor_ip", r.getString("ip")).put("action", r.getString("action"))
        .put("resource_type", r.getString("resource_type"))
        .put("resource_id", r.getUUID("resource_id") == null ? null : r.getUUID("resource_id").toString())
        .put("old_values", r.getValue("old_values")).put("new_values", r.getValue("new_values"))
        .put("reason", r.getString("reason")).put("metadata", r.getValue("metadata"))
        .put("request_id", r.getString("request_id")).put("user_agent", r.getString("user_agent"))
        .put("created_at", r.getOffsetDateTime("timestamp").toInstant().toString());
  }
}
