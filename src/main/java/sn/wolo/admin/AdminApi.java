package sn.wolo.admin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.http.ApiError;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.http.PathParams;
import sn.wolo.platform.security.AccessTokens;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;

import java.util.UUID;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;

/** HTTP routes of administration: the audit trail, event deliveries, the integrity check. */
public final class AdminApi implements DomainApi {

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    AccessTokens tokens = routes.tokens();
    routes.add(GET, "/v1/admin/audit-logs", "admin", "The audit trail (?resource_type, ?resource_id, ?limit)", BEARER,
        Authn.roles(vertx, tokens, Principal.ADMIN, Principal.SUPER_ADMIN)).handler(ctx -> {
          String id = ctx.request().getParam("resource_id");
          if (id != null) {
            try {
              UUID.fromString(id);
            } catch (IllegalArgumentException e) {
              throw ApiError.badRequest("invalid_resource_id", "resource_id is a UUID.");
            }
          }
          String limit = ctx.request().getParam("limit");
          JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("audit-logs"), new JsonObject()
              .put("resource_type", ctx.request().getParam("resource_type")).put("resource_id", id)
              .put("limit", limit == null || !limit.matches("\\d{1,3}") ? 50 : Integer.parseInt(limit))), 200);
        });
    var admins = Authn.roles(vertx, tokens, Principal.ADMIN, Principal.SUPER_ADMIN);
    routes.add(GET, "/v1/admin/events", "admin", "Durable event deliveries: backlog per consumer and parked events", BEARER, admins)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("events"), new JsonObject()), 200));
    routes.add(POST, "/v1/admin/events/parked/:consumer/:event_id/retry", "admin", "Put a parked delivery back in its consumer's queue",
        BEARER, admins).handler(ctx -> {
          String consumer = ctx.pathParam("consumer");
          if (!consumer.matches("[a-z_]+\\.[a-z_-]+")) throw ApiError.notFound("parked_event_not_found", "No such consumer.");
          UUID eventId = PathParams.uuid(ctx, "event_id", "parked_event_not_found");
          JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("retry-event"), new JsonObject()
              .put("consumer", consumer).put("event_id", eventId.toString())), 200);
        });
    routes.add(POST, "/v1/admin/integrity/run", "admin", "Run the integrity check now (it also runs daily) and get its findings",
        BEARER, admins).handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("integrity-run"), new JsonObject()), 200));
    routes.add(GET, "/v1/admin/integrity/findings", "admin", "Findings of the integrity checks, newest first", BEARER, admins)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("integrity-findings"), new JsonObject()), 200));
  }
}
