package sn.wolo.pot;

import io.vertx.core.Vertx;
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
import sn.wolo.platform.http.QueryParams;
import sn.wolo.platform.security.AccessTokens;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;
import static sn.wolo.platform.http.Endpoint.Security.PUBLIC;

/** HTTP routes of pots: the owner's /v1/pots, /v1/me/pots, and the public page and invitation links. */
public final class PotApi implements DomainApi {

  private static final String TAG = "pot";
  private Vertx vertx;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.vertx = vertx;
    AccessTokens tokens = routes.tokens();
    var auth = Authn.required(vertx, tokens);

    routes.add(POST, "/v1/pots", TAG, "Create my pot for my next birthday (opens at J-30)", BEARER, auth)
        .handler(routes.idempotent()).handler(ctx -> call(ctx, "create", me(ctx).put("pot", JsonBodies.object(ctx)), 201));
    routes.add(GET, "/v1/me/pots", TAG, "My pots, newest first (?limit, ?cursor → {items, next_cursor})", BEARER, auth).handler(ctx -> {
      int limit = sn.wolo.platform.http.QueryParams.integer(ctx, "limit", 20, 1, 100);
      String cursor = ctx.request().getParam("cursor");
      sn.wolo.platform.db.Cursor.decode(cursor);   // 400 before any work when malformed
      call(ctx, "mine-page", me(ctx).put("limit", limit).put("cursor", cursor), 200);
    });
    routes.add(GET, "/v1/pots/:id", TAG, "One of my pots (admins: any)", BEARER, auth)
        .handler(ctx -> AdminReads.reply(ctx, vertx, Bus.call(vertx, PotVerticle.address("get"),
            pot(ctx).put("admin", Authn.principal(ctx).isAdmin())), "pot", "owner_user_id", 200));
    routes.add(PATCH, "/v1/pots/:id", TAG, "Change my pot (the target only before it opens)", BEARER, auth)
        .handler(ctx -> call(ctx, "patch", pot(ctx).put("changes", JsonBodies.object(ctx)), 200));
    routes.add(POST, "/v1/pots/:id/close", TAG, "Close my pot early", BEARER, auth)
        .handler(ctx -> call(ctx, "close", pot(ctx), 200));
    routes.add(PUT, "/v1/pots/:id/preferred-pack", TAG, "Choose the gift pack my pot should buy", BEARER, auth)
        .handler(ctx -> call(ctx, "preferred-pack", pot(ctx).put("pack_id", JsonBodies.object(ctx).getValue("pack_id") instanceof String s ? s : ""), 200));
    routes.add(POST, "/v1/pots/:id/invitations", TAG, "Invite a friend (whatsapp, sms, email or a social link)", BEARER, auth)
        .handler(routes.idempotent()).handler(ctx -> call(ctx, "invite", pot(ctx).put("invitation", JsonBodies.object(ctx)), 201));
    routes.add(GET, "/v1/pots/:id/invitations", TAG, "My pot's invitations, newest first (?limit, ?cursor → {items, next_cursor})", BEARER, auth)
        .handler(ctx -> {
          int limit = QueryParams.integer(ctx, "limit", 20, 1, 100);
          String cursor = ctx.request().getParam("cursor");
          sn.wolo.platform.db.Cursor.decode(cursor);   // 400 before any work when malformed
          AdminReads.reply(ctx, vertx, Bus.call(vertx, PotVerticle.address("invitations"), pot(ctx).put("admin", Authn.principal(ctx).isAdmin())
              .put("limit", limit).put("cursor", cursor)), "pot_invitations", "owner_user_id", 200);
        });
    routes.add(GET, "/v1/public/pots/:id", TAG, "A pot's public page (?t=share token for private pots; donors newest first: ?limit, ?cursor → next_cursor)", PUBLIC,
        // Revalidated on every view (each one is counted), answered 304 while nothing changed.
        ctx -> sn.wolo.platform.http.ETags.reply(ctx, Bus.call(vertx, PotVerticle.address("public-page"), new JsonObject()
            .put("pot_id", PathParams.uuid(ctx, "id", "pot_not_found").toString())
            .put("token", ctx.request().getParam("t")).put("cursor", ctx.request().getParam("cursor"))
            .put("limit", QueryParams.integer(ctx, "limit", 20, 1, 100))), "no-cache"));
    routes.add(GET, "/v1/public/invitations/:token", TAG, "Open an invitation link (marks it opened)", PUBLIC,
        ctx -> call(ctx, "open-invitation", new JsonObject().put("token", ctx.pathParam("token")), 200));
  }

  private void call(RoutingContext ctx, String verb, JsonObject req, int status) {
    JsonBodies.reply(ctx, Bus.call(vertx, PotVerticle.address(verb), req), status);
  }

  private static JsonObject me(RoutingContext ctx) {
    Principal p = Authn.principal(ctx);
    return new JsonObject().put("user_id", p.userId());
  }

  private static JsonObject pot(RoutingContext ctx) {
    return me(ctx).put("pot_id", PathParams.uuid(ctx, "id", "pot_not_found").toString());
  }
}
