package sn.wolo.admin.flags;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.admin.AdminVerticle;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;

import java.util.Set;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;
import static sn.wolo.platform.http.Endpoint.Security.PUBLIC;

/**
 * Feature flags over HTTP: the apps read their evaluated flags (a user by its token, an anonymous
 * install by {@code X-Install-Id}), evaluated in memory from this process's copy; admins manage them.
 */
public final class FeatureFlagsApi implements DomainApi {

  private static final String INSTALL_ID = "[A-Za-z0-9-]{8,64}";

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    routes.add(GET, "/v1/feature-flags", "flags", "My evaluated feature flags (X-Install-Id when signed out; X-Region, X-Platform, X-App-Version)",
        PUBLIC, Authn.optional(vertx, routes.tokens())).handler(ctx -> JsonBodies.send(ctx, 200,
        new JsonObject().put("flags", FlagEvaluator.evaluate(FlagCache.current(vertx), subject(ctx)))));
    var admins = Authn.roles(vertx, routes.tokens(), Principal.ADMIN, Principal.SUPER_ADMIN);
    routes.add(GET, "/v1/admin/feature-flags", "admin", "Feature flags of an environment (?environment)", BEARER, admins)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("flags-list"),
            new JsonObject().put("environment", environment(ctx, app))), 200));
    routes.add(POST, "/v1/admin/feature-flags", "admin", "Create or replace a feature flag (audited; every instance within a second)",
        BEARER, admins).handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("flags-save"),
            AuditContext.of(ctx).addTo(new JsonObject().put("flag", JsonBodies.object(ctx)))), 200));
    routes.add(DELETE, "/v1/admin/feature-flags/:key", "admin", "Delete a feature flag (?environment; audited)", BEARER, admins)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, AdminVerticle.address("flags-delete"), AuditContext.of(ctx).addTo(new JsonObject()
            .put("flag_key", ctx.pathParam("key")).put("environment", environment(ctx, app)))), 200));
  }

  private static FlagEvaluator.Subject subject(RoutingContext ctx) {
    Principal p = Authn.principalOrNull(ctx);
    String id;
    if (p != null) {
      id = p.userId();
    } else {
      id = ctx.request().getHeader("X-Install-Id");
      if (id == null || !id.matches(INSTALL_ID)) {
        throw DomainException.invalid("install_id_required", "Signed out, send X-Install-Id (8 to 64 letters, digits or dashes).");
      }
    }
    return new FlagEvaluator.Subject(id, p == null ? Set.of() : p.roles(), header(ctx, "X-Region"), header(ctx, "X-Platform"),
        header(ctx, "X-App-Version"));
  }

  private static String header(RoutingContext ctx, String name) {
    String v = ctx.request().getHeader(name);
    return v == null || v.length() > 50 ? null : v.trim();
  }

  private static String environment(RoutingContext ctx, AppContext app) {
    String env = ctx.request().getParam("environment");
    if (env == null) return AdminVerticle.flagEnvironment(app.config());
    if (!FeatureFlags.ENVIRONMENTS.contains(env)) throw DomainException.invalid("invalid_environment", "environment is one of " + FeatureFlags.ENVIRONMENTS);
    return env;
  }
}
