package sn.wolo.admin.sessions;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.admin.AdminVerticle;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.ClientInfo;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.http.PathParams;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;
import sn.wolo.platform.validation.BodyFields;

import java.util.Set;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;

/** The admin console's step-up: open an admin session with a fresh code or the password, list and end sessions. */
public final class AdminSessionsApi implements DomainApi {

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    routes.add(POST, ApiRoutes.OPEN_ADMIN_SESSION, "admin",
        "Open an admin session: {code} (a fresh OTP: POST /v1/auth/otp/request first) or {password} → admin_token for /v1/admin/*",
        BEARER, Authn.roles(vertx, routes.tokens(), Principal.ADMIN, Principal.SUPER_ADMIN, Principal.PARTNER)).handler(ctx -> {
          BodyFields body = BodyFields.of(JsonBodies.object(ctx), Set.of("code", "password"));
          Principal p = Authn.principal(ctx);
          JsonObject req = ClientInfo.addTo(ctx, new JsonObject().put("user_id", p.userId()).put("session_id", p.sessionId())
              .put("code", body.text("code", 10, false)).put("password", body.text("password", 200, false)));
          JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("session-open"), AuditContext.of(ctx).addTo(req)), 201);
        });
    var console = Authn.roles(vertx, routes.tokens(), Principal.ADMIN, Principal.SUPER_ADMIN, Principal.PARTNER);
    routes.add(GET, "/v1/admin/sessions", "admin", "Active admin sessions: mine, or everyone's for a super_admin", BEARER, console)
        .handler(ctx -> {
          Principal p = Authn.principal(ctx);
          JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("sessions-active"),
              new JsonObject().put("user_id", p.hasAnyRole(Principal.SUPER_ADMIN) ? null : p.userId())), 200);
        });
    routes.add(DELETE, "/v1/admin/sessions/:id", "admin", "End an admin session (mine, or any for a super_admin)", BEARER, console)
        .handler(ctx -> {
          Principal p = Authn.principal(ctx);
          JsonObject req = new JsonObject().put("admin_session_id", PathParams.uuid(ctx, "id", "admin_session_not_found").toString())
              .put("user_id", p.userId()).put("super_admin", p.hasAnyRole(Principal.SUPER_ADMIN));
          JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("session-end"), AuditContext.of(ctx).addTo(req)), 200);
        });
  }
}
