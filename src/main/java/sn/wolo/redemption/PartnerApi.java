package sn.wolo.redemption;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.ClientInfo;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.http.PathParams;
import sn.wolo.platform.http.RateLimit;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;
import sn.wolo.platform.validation.BodyFields;

import java.util.Set;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;

/**
 * HTTP routes of partner users (role {@code partner}, linked to a partner): the venue scanner
 * (validate, redeem — rate-limited per partner user) and their partner's settlements.
 */
public final class PartnerApi implements DomainApi {

  private static final String TAG = "partner";
  private static final Set<String> SCAN_FIELDS = Set.of("token", "location_id");
  private Vertx vertx;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    RedemptionSettings settings = RedemptionSettings.from(app.config());
    this.vertx = vertx;
    var partners = Authn.roles(vertx, routes.tokens(), Principal.PARTNER);
    var scans = new RateLimit(settings.scansPerMinute(), app.clock(), ctx -> Authn.principal(ctx).userId());
    routes.add(POST, "/v1/partner/redemptions/validate", TAG, "Check a gift's QR token without consuming it {\"token\",\"location_id?\"}",
        BEARER, partners).handler(scans).handler(ctx -> scan(ctx, false));
    routes.add(POST, "/v1/partner/redemptions", TAG, "Redeem a gift's QR token, exactly once {\"token\",\"location_id?\"}", BEARER, partners)
        .handler(scans).handler(ctx -> scan(ctx, true));
    routes.add(GET, "/v1/partner/settlements", TAG, "My partner's settlements", BEARER, partners)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, RedemptionVerticle.address("partner-settlements"), me(ctx)), 200));
    routes.add(GET, "/v1/partner/settlements/:id/redemptions.csv", TAG, "The redemptions one of my partner's settlements pays for (CSV)",
        BEARER, partners).handler(ctx -> SettlementsAdminApi.csv(vertx, ctx, me(ctx)
            .put("settlement_id", PathParams.uuid(ctx, "id", "settlement_not_found").toString())));
  }

  private void scan(RoutingContext ctx, boolean consume) {
    BodyFields body = BodyFields.of(JsonBodies.object(ctx), SCAN_FIELDS);
    String token = body.text("token", 200, true);
    String location = body.text("location_id", 64, false);
    JsonObject req = me(ctx).put("token", token).put("location_id", location).put("consume", consume)
        .put("ip", ClientInfo.ip(ctx)).put("user_agent", ctx.request().getHeader("User-Agent"));
    JsonBodies.reply(ctx, Bus.call(vertx, RedemptionVerticle.address("scan"), req), 200);
  }

  private static JsonObject me(RoutingContext ctx) {
    return new JsonObject().put("user_id", Authn.principal(ctx).userId());
  }
}
