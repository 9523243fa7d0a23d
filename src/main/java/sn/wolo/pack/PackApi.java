package sn.wolo.pack;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.ETags;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.http.PathParams;
import sn.wolo.platform.http.QueryParams;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;
import static sn.wolo.platform.http.Endpoint.Security.PUBLIC;

/** HTTP routes of the catalogue (public, cacheable with ETags) and of its administration (partners, packs, campaigns). */
public final class PackApi implements DomainApi {

  private static final String TAG = "pack";
  private static final String ADMIN = "admin";
  private Vertx vertx;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.vertx = vertx;
    routes.add(GET, "/v1/packs", TAG, "Gift packs on sale today (?category, ?city, ?max_price_cfa, ?page, ?size); ETag", PUBLIC,
        ctx -> cached(ctx, Bus.call(vertx, PackVerticle.address("catalogue"), catalogueQuery(ctx))));
    routes.add(GET, "/v1/packs/:id", TAG, "One gift pack on sale; ETag", PUBLIC, ctx -> cached(ctx, Bus.call(vertx,
        PackVerticle.address("on-sale"), new JsonObject().put("pack_id", PathParams.uuid(ctx, "id", "pack_not_found").toString()))));

    var admins = Authn.roles(vertx, routes.tokens(), Principal.ADMIN, Principal.SUPER_ADMIN);
    routes.add(GET, "/v1/admin/partners", ADMIN, "Partners (?status)", BEARER, admins)
        .handler(ctx -> call(ctx, "partner-list", new JsonObject().put("status", ctx.request().getParam("status")), 200));
    routes.add(POST, "/v1/admin/partners", ADMIN, "Create a partner (pending until verified and activated)", BEARER, admins)
        .handler(ctx -> call(ctx, "partner-create", new JsonObject().put("partner", JsonBodies.object(ctx)), 201));
    routes.add(GET, "/v1/admin/partners/:id", ADMIN, "One partner", BEARER, admins)
        .handler(ctx -> call(ctx, "partner-get", partner(ctx), 200));
    routes.add(PATCH, "/v1/admin/partners/:id", ADMIN, "Change a partner's details, split, terms or venues", BEARER, admins)
        .handler(ctx -> call(ctx, "partner-update", partner(ctx).put("partner", JsonBodies.object(ctx)), 200));
    routes.add(POST, "/v1/admin/partners/:id/verify", ADMIN, "Record that the partner's documents were checked", BEARER, admins)
        .handler(ctx -> call(ctx, "partner-verify", partner(ctx).put("admin_id", Authn.principal(ctx).userId()), 200));
    routes.add(POST, "/v1/admin/partners/:id/status", ADMIN, "Activate, suspend or terminate a partner {\"status\"}", BEARER, admins)
        .handler(ctx -> call(ctx, "partner-status", partner(ctx).put("status", text(JsonBodies.object(ctx), "status")), 200));
    routes.add(PUT, "/v1/admin/partners/:id/users/:user_id", ADMIN, "Make a user work for a partner {\"role\":\"manager|staff\"}", BEARER, admins)
        .handler(ctx -> {
          String role = text(JsonBodies.object(ctx), "role");
          if (!Partners.ROLES.contains(role)) throw DomainException.invalid("invalid_role", "role is manager or staff.");
          call(ctx, "partner-link-user", partner(ctx).put("user_id", PathParams.uuid(ctx, "user_id", "user_not_found").toString())
              .put("role", role), 200);
        });
    routes.add(DELETE, "/v1/admin/partners/:id/users/:user_id", ADMIN, "Remove a user from a partner", BEARER, admins)
        .handler(ctx -> call(ctx, "partner-unlink-user", partner(ctx)
            .put("user_id", PathParams.uuid(ctx, "user_id", "user_not_found").toString()), 200));

    routes.add(GET, "/v1/admin/packs", ADMIN, "Every pack, on sale or not (?partner_id)", BEARER, admins).handler(ctx -> {
      String partnerId = ctx.request().getParam("partner_id");
      if (partnerId != null && !partnerId.matches("[0-9a-fA-F-]{36}")) throw DomainException.invalid("invalid_partner_id", "partner_id is a UUID.");
      call(ctx, "pack-list", new JsonObject().put("partner_id", partnerId), 200);
    });
    routes.add(POST, "/v1/admin/packs", ADMIN, "Create a pack (prices in whole XOF)", BEARER, admins)
        .handler(ctx -> call(ctx, "pack-create", new JsonObject().put("pack", JsonBodies.object(ctx)), 201));
    routes.add(GET, "/v1/admin/packs/:id", ADMIN, "One pack", BEARER, admins)
        .handler(ctx -> call(ctx, "pack-admin-get", pack(ctx), 200));
    routes.add(PATCH, "/v1/admin/packs/:id", ADMIN, "Change a pack (an explicit null clears an optional field)", BEARER, admins)
        .handler(ctx -> call(ctx, "pack-update", pack(ctx).put("pack", JsonBodies.object(ctx)), 200));

    routes.add(GET, "/v1/admin/campaigns", ADMIN, "Sponsor campaigns", BEARER, admins)
        .handler(ctx -> call(ctx, "campaign-list", new JsonObject(), 200));
    routes.add(POST, "/v1/admin/campaigns", ADMIN, "Create a sponsor campaign (draft)", BEARER, admins)
        .handler(ctx -> call(ctx, "campaign-create", new JsonObject().put("campaign", JsonBodies.object(ctx)), 201));
    routes.add(POST, "/v1/admin/campaigns/:id/status", ADMIN, "Activate, pause or complete a campaign {\"status\"}", BEARER, admins)
        .handler(ctx -> call(ctx, "campaign-status", campaign(ctx).put("status", text(JsonBodies.object(ctx), "status")), 200));
    routes.add(POST, "/v1/admin/campaigns/:id/spend", ADMIN, "Spend part of a campaign's budget {\"amount_cfa\"} (never above the budget)",
        BEARER, admins).handler(ctx -> {
          Object amount = JsonBodies.object(ctx).getValue("amount_cfa");
          if (!(amount instanceof Integer || amount instanceof Long)) throw DomainException.invalid("invalid_amount_cfa", "amount_cfa is a whole number of francs.");
          call(ctx, "campaign-spend", campaign(ctx).put("amount_cfa", ((Number) amount).longValue()), 200);
        });
  }

  private static JsonObject catalogueQuery(RoutingContext ctx) {
    String category = ctx.request().getParam("category");
    if (category != null && !Packs.CATEGORIES.contains(category)) throw DomainException.invalid("invalid_category", "category is one of " + Packs.CATEGORIES);
    String city = ctx.request().getParam("city");
    if (city != null && (city.isBlank() || city.length() > 100)) throw DomainException.invalid("invalid_city", "city has 1 to 100 characters.");
    int maxPrice = QueryParams.integer(ctx, "max_price_cfa", -1, 1, 100_000_000);
    return new JsonObject().put("category", category).put("city", city).put("max_price_cfa", maxPrice < 0 ? null : maxPrice)
        .put("page", QueryParams.integer(ctx, "page", 0, 0, 10_000)).put("size", QueryParams.integer(ctx, "size", 20, 1, 100));
  }

  /** Public and the same for everyone: shared caches may keep it a minute. */
  private static void cached(RoutingContext ctx, Future<JsonObject> result) {
    ETags.reply(ctx, result, "public, max-age=60");
  }

  private void call(RoutingContext ctx, String verb, JsonObject req, int status) {
    JsonBodies.reply(ctx, Bus.call(vertx, PackVerticle.address(verb), req), status);
  }

  private static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s : "";
  }

  private static JsonObject partner(RoutingContext ctx) {
    return new JsonObject().put("partner_id", PathParams.uuid(ctx, "id", "partner_not_found").toString());
  }

  private static JsonObject pack(RoutingContext ctx) {
    return new JsonObject().put("pack_id", PathParams.uuid(ctx, "id", "pack_not_found").toString());
  }

  private static JsonObject campaign(RoutingContext ctx) {
    return new JsonObject().put("campaign_id", PathParams.uuid(ctx, "id", "campaign_not_found").toString());
  }
}
