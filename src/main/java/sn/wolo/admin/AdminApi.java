package sn.wolo.admin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.admin.audit.AuditFilter;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.http.PathParams;
import sn.wolo.platform.http.QueryParams;
import sn.wolo.platform.security.AccessTokens;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;

import java.time.OffsetDateTime;
import java.util.UUID;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;

/** HTTP routes of administration: the audit trail, event deliveries, the integrity check. */
public final class AdminApi implements DomainApi {

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    AccessTokens tokens = routes.tokens();
    var admins = Authn.roles(vertx, tokens, Principal.ADMIN, Principal.SUPER_ADMIN);
    routes.add(GET, "/v1/admin/audit-logs", "admin",
        "The audit trail, newest first (?actor, ?resource_type, ?resource_id, ?action, ?from, ?to, ?cursor, ?limit)", BEARER, admins)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("audit-logs"), auditFilter(ctx).toJson()), 200));
    routes.add(GET, "/v1/admin/health/history", "admin", "Health of each dependency, recorded every minute for 30 days (?service, ?from, ?limit)",
        BEARER, admins).handler(ctx -> {
          String service = ctx.request().getParam("service");
          if (service != null && !service.matches("[a-z_]{1,50}")) throw DomainException.invalid("invalid_service", "service is a dependency name, e.g. database.");
          String from = ctx.request().getParam("from");
          JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("health-history"), new JsonObject().put("service", service)
              .put("from", from == null ? null : QueryParams.instant(ctx, "from").toString())
              .put("limit", QueryParams.integer(ctx, "limit", 100, 1, 1000))), 200);
        });
    routes.add(GET, "/v1/admin/events", "admin", "Durable event deliveries: backlog per consumer and parked events", BEARER, admins)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("events"), new JsonObject()), 200));
    routes.add(POST, "/v1/admin/events/parked/:consumer/:event_id/retry", "admin", "Put a parked delivery back in its consumer's queue",
        BEARER, admins).handler(ctx -> {
          String consumer = ctx.pathParam("consumer");
          if (!consumer.matches("[a-z_]+\\.[a-z_-]+")) throw DomainException.notFound("parked_event_not_found", "No such consumer.");
          UUID eventId = PathParams.uuid(ctx, "event_id", "parked_event_not_found");
          JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("retry-event"), new JsonObject()
              .put("consumer", consumer).put("event_id", eventId.toString())), 200);
        });
    routes.add(POST, "/v1/admin/integrity/run", "admin", "Run the integrity check now (it also runs daily) and get its findings",
        BEARER, admins).handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("integrity-run"), new JsonObject()), 200));
    routes.add(GET, "/v1/admin/integrity/findings", "admin", "Findings of the integrity checks, newest first", BEARER, admins)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("integrity-findings"), new JsonObject()), 200));
  }

  /** {@code ?actor=&resource_type=&resource_id=&action=&from=&to=&cursor=&limit=}, checked here. */
  private static AuditFilter auditFilter(RoutingContext ctx) {
    return new AuditFilter(uuid(ctx, "actor"), text(ctx, "resource_type", 50), uuid(ctx, "resource_id"), text(ctx, "action", 100),
        time(ctx, "from"), time(ctx, "to"), text(ctx, "cursor", 200), QueryParams.integer(ctx, "limit", 50, 1, 200));
  }

  private static UUID uuid(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null) return null;
    try {
      if (v.length() == 36) return UUID.fromString(v);
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw DomainException.invalid("invalid_" + name, name + " is a UUID.");
  }

  private static String text(RoutingContext ctx, String name, int max) {
    String v = ctx.request().getParam(name);
    if (v != null && (v.isBlank() || v.length() > max)) throw DomainException.invalid("invalid_" + name, name + " is 1 to " + max + " characters.");
    return v;
  }

  private static OffsetDateTime time(RoutingContext ctx, String name) {
    return QueryParams.instant(ctx, name);
  }
}
