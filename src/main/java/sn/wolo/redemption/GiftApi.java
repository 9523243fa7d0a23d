package sn.wolo.redemption;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.audit.AdminReads;
import sn.wolo.platform.bus.Bus;
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
import static io.vertx.core.http.HttpMethod.PUT;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;

/** HTTP routes of gifts for their owners: choose the pack, convert, list, show, and the QR images (owner only, never cached). */
public final class GiftApi implements DomainApi {

  private static final String TAG = "gift";
  private Vertx vertx;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.vertx = vertx;
    var auth = Authn.required(vertx, routes.tokens());
    routes.add(PUT, "/v1/pots/:id/gift", TAG, "Choose the pack my pot buys {\"pack_id\"} (on sale, price within the money raised)", BEARER, auth)
        .handler(ctx -> {
          var pack = BodyFields.of(JsonBodies.object(ctx), Set.of("pack_id")).uuid("pack_id", true);
          call(ctx, "gift-choose", pot(ctx).put("pack_id", pack.toString()), 200);
        });
    routes.add(POST, "/v1/pots/:id/gift/convert", TAG, "Convert my closed pot into its pack: the gift and its QR code are issued", BEARER, auth)
        .handler(routes.idempotent()).handler(ctx -> call(ctx, "gift-convert", pot(ctx), 201));
    routes.add(GET, "/v1/me/gifts", TAG, "My gifts", BEARER, auth)
        .handler(ctx -> call(ctx, "gifts-mine", me(ctx), 200));
    routes.add(GET, "/v1/gifts/:id", TAG, "One of my gifts (admins: any): status, partner, venues, validity window", BEARER, auth)
        .handler(ctx -> AdminReads.reply(ctx, vertx, Bus.call(vertx, RedemptionVerticle.address("gift-get"),
            gift(ctx).put("admin", Authn.principal(ctx).isAdmin())), "gift", "owner_user_id", 200));
    routes.add(GET, "/v1/gifts/:id/qr.png", TAG, "My gift's QR code as PNG (its redeem token; show it at the venue)", BEARER, auth)
        .handler(ctx -> qr(ctx, true));
    routes.add(GET, "/v1/gifts/:id/qr.svg", TAG, "My gift's QR code as SVG", BEARER, auth)
        .handler(ctx -> qr(ctx, false));
    routes.add(POST, "/v1/admin/gifts/:id/cancel", "admin", "Cancel an issued gift {\"reason\"} (its stock returns; audited)", BEARER,
        Authn.roles(vertx, routes.tokens(), Principal.ADMIN, Principal.SUPER_ADMIN)).handler(ctx -> {
          String reason = BodyFields.of(JsonBodies.object(ctx), Set.of("reason")).text("reason", 500, true);
          call(ctx, "gift-cancel", sn.wolo.platform.audit.AuditContext.of(ctx).addTo(gift(ctx).put("admin_id", Authn.principal(ctx).userId())
              .put("reason", reason)), 200);
        });
  }

  /** The image is drawn on a worker (image encoding is CPU work); the token never reaches a log or a cache. */
  private void qr(RoutingContext ctx, boolean png) {
    Bus.call(vertx, RedemptionVerticle.address("gift-token"), gift(ctx))
        .compose(t -> vertx.executeBlocking(() -> png ? Buffer.buffer(QrImages.png(t.getString("token")))
            : Buffer.buffer(QrImages.svg(t.getString("token"))), false))
        .onSuccess(image -> ctx.response().putHeader("Content-Type", png ? "image/png" : "image/svg+xml")
            .putHeader("Cache-Control", "no-store").end(image))
        .onFailure(ctx::fail);
  }

  private void call(RoutingContext ctx, String verb, JsonObject req, int status) {
    JsonBodies.reply(ctx, Bus.call(vertx, RedemptionVerticle.address(verb), req), status);
  }

  private static JsonObject me(RoutingContext ctx) {
    return new JsonObject().put("user_id", Authn.principal(ctx).userId());
  }

  private static JsonObject pot(RoutingContext ctx) {
    return me(ctx).put("pot_id", PathParams.uuid(ctx, "id", "pot_not_found").toString());
  }

  private static JsonObject gift(RoutingContext ctx) {
    return me(ctx).put("gift_id", PathParams.uuid(ctx, "id", "gift_not_found").toString());
  }
}
