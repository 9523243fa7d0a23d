package sn.wolo.admin.audit;

import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

/** What an admin searches the audit trail by (read from the query string by {@code AdminApi}). */
public record AuditFilter(UUID actor, String resourceType, UUID resourceId, String action, OffsetDateTime from, OffsetDateTime to,
                          String cursor, int limit) {

  public JsonObject toJson() {
    return new JsonObject().put("actor", actor == null ? null : actor.toString()).put("resource_type", resourceType)
        .put("resource_id", resourceId == null ? null : resourceId.toString()).put("action", action)
        .put("from", from == null ? null : from.toString()).put("to", to == null ? null : to.toString()).put("cursor", cursor).put("limit", limit);
  }

  public static AuditFilter fromJson(JsonObject j) {
    return new AuditFilter(j.getString("actor") == null ? null : UUID.fromString(j.getString("actor")), j.getString("resource_type"),
        j.getString("resource_id") == null ? null : UUID.fromString(j.getString("resource_id")), j.getString("action"),
        j.getString("from") == null ? null : OffsetDateTime.parse(j.getString("from")),
        j.getString("to") == null ? null : OffsetDateTime.parse(j.getString("to")), j.getString("cursor"), j.getInteger("limit", 50));
  }
}
