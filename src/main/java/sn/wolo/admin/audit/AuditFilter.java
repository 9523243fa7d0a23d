package sn.wolo.admin.audit;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.http.ApiError;
import sn.wolo.platform.http.QueryParams;

import java.time.OffsetDateTime;
import java.util.UUID;

/** {@code GET /v1/admin/audit-logs?actor=&resource_type=&resource_id=&action=&from=&to=&cursor=&limit=}, checked at the edge. */
public record AuditFilter(UUID actor, String resourceType, UUID resourceId, String action, OffsetDateTime from, OffsetDateTime to,
                          String cursor, int limit) {

  public static AuditFilter of(RoutingContext ctx) {
    return new AuditFilter(uuid(ctx, "actor"), text(ctx, "resource_type", 50), uuid(ctx, "resource_id"), text(ctx, "action", 100),
        time(ctx, "from"), time(ctx, "to"), text(ctx, "cursor", 200), QueryParams.integer(ctx, "limit", 50, 1, 200));
  }

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

  private static UUID uuid(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null) return null;
    try {
      if (v.length() == 36) return UUID.fromString(v);
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw ApiError.badRequest("invalid_" + name, name + " is a UUID.");
  }

  private static String text(RoutingContext ctx, String name, int max) {
    String v = ctx.request().getParam(name);
    if (v != null && (v.isBlank() || v.length() > max)) throw ApiError.badRequest("invalid_" + name, name + " is 1 to " + max + " characters.");
    return v;
  }

  private static OffsetDateTime time(RoutingContext ctx, String name) {
    return QueryParams.instant(ctx, name);
  }

}
