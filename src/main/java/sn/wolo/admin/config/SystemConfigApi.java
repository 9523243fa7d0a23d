package sn.wolo.admin.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.admin.AdminVerticle;
import sn.wolo.admin.flags.FeatureFlags;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;
import sn.wolo.platform.validation.BodyFields;

import java.util.Set;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PUT;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;

/** Runtime business parameters over HTTP: list with defaults, set (validated, audited), reset to the default. */
public final class SystemConfigApi implements DomainApi {

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    var admins = Authn.roles(vertx, routes.tokens(), Principal.ADMIN, Principal.SUPER_ADMIN);
    routes.add(GET, "/v1/admin/config", "admin", "Runtime business parameters: default, stored value (sensitive ones masked), rules (?environment)",
        BEARER, admins).handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("config-list"),
            new JsonObject().put("environment", environment(ctx, app))), 200));
    routes.add(PUT, "/v1/admin/config/:key", "admin", "Set a runtime parameter {value, reason?} (?environment; validated, audited, live everywhere within a second)",
        BEARER, admins).handler(ctx -> {
          JsonObject raw = JsonBodies.object(ctx);
          BodyFields body = BodyFields.of(raw, Set.of("value", "reason"));
          if (!raw.containsKey("value") || raw.getValue("value") == null) throw DomainException.invalid("invalid_value", "value is required.");
          JsonObject req = new JsonObject().put("key", ctx.pathParam("key")).put("environment", environment(ctx, app))
              .put("value", raw.getValue("value")).put("reason", body.text("reason", 500, false));
          JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("config-put"), AuditContext.of(ctx).addTo(req)), 200);
        });
    routes.add(DELETE, "/v1/admin/config/:key", "admin", "Reset a runtime parameter to its default (?environment; audited)", BEARER, admins)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("config-reset"), AuditContext.of(ctx).addTo(new JsonObject()
            .put("key", ctx.pathParam("key")).put("environment", environment(ctx, app)))), 200));
  }

  private static String environment(RoutingContext ctx, AppContext app) {
    String env = ctx.request().getParam("environment");
    if (env == null) return AdminVerticle.flagEnvironment(app.config());
    if (!FeatureFlags.ENVIRONMENTS.contains(env)) throw DomainException.invalid("invalid_environment", "environment is one of " + FeatureFlags.ENVIRONMENTS);
    return env;
  }
}
