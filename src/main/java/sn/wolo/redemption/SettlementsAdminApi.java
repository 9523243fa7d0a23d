package sn.wolo.redemption;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.http.PathParams;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;
import sn.wolo.platform.validation.BodyFields;

import java.util.Set;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;

/** HTTP routes of partner settlements for admins: run a period, approve, pay through Wave, dispute, reopen, export. */
public final class SettlementsAdminApi implements DomainApi {

  private static final String TAG = "admin";
  private static final Set<String> STATUSES = Set.of("pending", "approved", "paid", "disputed");
  private Vertx vertx;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.vertx = vertx;
    var admins = Authn.roles(vertx, routes.tokens(), Principal.ADMIN, Principal.SUPER_ADMIN);
    routes.add(GET, "/v1/admin/settlements", TAG, "Partner settlements (?status, ?partner_id)", BEARER, admins).handler(ctx -> {
      String status = ctx.request().getParam("status");
      if (status != null && !STATUSES.contains(status)) throw DomainException.invalid("invalid_status", "status is one of " + STATUSES);
      String partner = ctx.request().getParam("partner_id");
      if (partner != null && !partner.matches("[0-9a-fA-F-]{36}")) throw DomainException.invalid("invalid_partner_id", "partner_id is a UUID.");
      call(ctx, "settlements-list", new JsonObject().put("status", status).put("partner_id", partner));
    });
    routes.add(POST, "/v1/admin/settlements/run", TAG, "Settle the periods that end on a day {\"date\"} (the daily job does yesterday)",
        BEARER, admins).handler(ctx -> call(ctx, "settlements-run", new JsonObject()
            .put("date", BodyFields.of(JsonBodies.object(ctx), Set.of("date")).date("date", true).toString())));
    routes.add(GET, "/v1/admin/settlements/:id", TAG, "One settlement", BEARER, admins)
        .handler(ctx -> call(ctx, "settlement-get", settlement(ctx)));
    routes.add(POST, "/v1/admin/settlements/:id/approve", TAG, "Approve a pending settlement", BEARER, admins)
        .handler(ctx -> call(ctx, "settlement-approve", settlement(ctx).put("admin_id", Authn.principal(ctx).userId())));
    routes.add(POST, "/v1/admin/settlements/:id/pay", TAG, "Pay an approved settlement's partner share by Wave payout (exactly once)",
        BEARER, admins).handler(ctx -> call(ctx, "settlement-pay", settlement(ctx)));
    routes.add(POST, "/v1/admin/settlements/:id/dispute", TAG, "Dispute a settlement {\"reason\"}", BEARER, admins)
        .handler(ctx -> call(ctx, "settlement-dispute", settlement(ctx)
            .put("reason", BodyFields.of(JsonBodies.object(ctx), Set.of("reason")).text("reason", 1000, true))));
    routes.add(POST, "/v1/admin/settlements/:id/reopen", TAG, "Put a disputed settlement back to pending", BEARER, admins)
        .handler(ctx -> call(ctx, "settlement-reopen", settlement(ctx)));
    routes.add(GET, "/v1/admin/settlements/:id/redemptions.csv", TAG, "The redemptions a settlement pays for (CSV)", BEARER, admins)
        .handler(ctx -> csv(vertx, ctx, settlement(ctx).put("admin", true)));
  }

  static void csv(Vertx vertx, RoutingContext ctx, JsonObject req) {
    Bus.call(vertx, RedemptionVerticle.address("settlement-csv"), req)
        .onSuccess(r -> ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"settlement-" + req.getString("settlement_id") + ".csv\"")
            .end(r.getString("csv")))
        .onFailure(ctx::fail);
  }

  private void call(RoutingContext ctx, String verb, JsonObject req) {
    JsonBodies.reply(ctx, Bus.call(vertx, RedemptionVerticle.address(verb), sn.wolo.platform.audit.AuditContext.of(ctx).addTo(req)), 200);
  }

  private static JsonObject settlement(RoutingContext ctx) {
    return new JsonObject().put("settlement_id", PathParams.uuid(ctx, "id", "settlement_not_found").toString());
  }
}
