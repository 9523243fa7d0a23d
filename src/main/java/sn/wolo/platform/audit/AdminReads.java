package sn.wolo.platform.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;

/**
 * The few user routes on which an admin may read what another user owns (a pot, a gift, a private
 * profile): such a read is written to the audit trail ({@code admin.read}) before the answer is
 * sent; if it cannot be written, the admin gets an error, not the data.
 */
public final class AdminReads {

  /** {@code {"action","resource_type","resource_id", audit}} → {@code {}}: one audit row. */
  public static final String RECORD = Addresses.request("admin", "audit-read");

  private AdminReads() {
  }

  /** Replies with {@code result}; audited first when the caller is an admin and {@code ownerField} names someone else. */
  public static void reply(RoutingContext ctx, Vertx vertx, Future<JsonObject> result, String resourceType, String ownerField, int status) {
    JsonBodies.reply(ctx, result.compose(body -> {
      Principal p = Authn.principalOrNull(ctx);
      String owner = body.getString(ownerField);
      if (p == null || !p.isAdmin() || owner == null || owner.equals(p.userId())) return Future.succeededFuture(body);
      JsonObject entry = new JsonObject().put("action", "admin.read").put("resource_type", resourceType)
          .put("resource_id", body.getString("id", owner)).put("owner_user_id", owner);
      return Bus.call(vertx, RECORD, AuditContext.of(ctx).addTo(entry)).map(body);
    }), status);
  }
}
