package sn.wolo.donation;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.identity.api.Accounts;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.ClientInfo;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.http.PathParams;
import sn.wolo.platform.security.AccessTokens;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;
import sn.wolo.pot.api.Pots;

import java.util.UUID;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;
import static sn.wolo.platform.http.Endpoint.Security.PUBLIC;

/** HTTP routes of donations: giving to a pot (logged in or not), polling a donation, admin refunds. */
public final class DonationApi implements DomainApi {

  private static final String TAG = "donation";
  private Vertx vertx;
  private Accounts accounts;
  private Pots pots;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.vertx = vertx;
    this.accounts = TypedBus.proxy(vertx, Accounts.class);
    this.pots = TypedBus.proxy(vertx, Pots.class);
    AccessTokens tokens = routes.tokens();
    routes.add(POST, "/v1/pots/:id/donations", TAG, "Give to a pot through Wave (a logged-in or anonymous donor)", PUBLIC,
        Authn.optional(vertx, tokens)).handler(routes.idempotent()).handler(this::create);
    routes.add(GET, "/v1/me/donations", TAG, "Donations I made (signed in, or as a guest with my phone), newest first (?limit, ?cursor)",
        BEARER, Authn.required(vertx, tokens)).handler(ctx -> {
          int limit = sn.wolo.platform.http.QueryParams.integer(ctx, "limit", 20, 1, 100);
          String cursor = ctx.request().getParam("cursor");
          sn.wolo.platform.db.Cursor.decode(cursor);   // 400 before any work when malformed
          String userId = Authn.principal(ctx).userId();
          JsonBodies.reply(ctx, accounts.getUser(UUID.fromString(userId))
              .compose(user -> Bus.call(vertx, DonationVerticle.address("mine"), new JsonObject().put("user_id", userId)
                  .put("phone", user.phone()).put("limit", limit).put("cursor", cursor))), 200);
        });
    routes.add(GET, "/v1/pots/:id/donations", TAG,
        "Donations to my pot, newest first (?limit, ?cursor): names unless anonymous, amounts unless hidden, messages", BEARER,
        Authn.required(vertx, tokens)).handler(ctx -> {
          int limit = sn.wolo.platform.http.QueryParams.integer(ctx, "limit", 20, 1, 100);
          String cursor = ctx.request().getParam("cursor");
          sn.wolo.platform.db.Cursor.decode(cursor);   // 400 before any work when malformed
          String potId = PathParams.uuid(ctx, "id", "pot_not_found").toString();
          Principal p = Authn.principal(ctx);
          // The pot domain decides who may see it (its owner; an admin, audited): a stranger gets 404.
          var page = pots.get(UUID.fromString(potId), UUID.fromString(p.userId()), p.isAdmin())
              .compose(pot -> Bus.call(vertx, DonationVerticle.address("for-pot"), new JsonObject().put("pot_id", potId)
                  .put("limit", limit).put("cursor", cursor)).map(list -> list.put("id", potId).put("owner_user_id", pot.ownerUserId().toString())));
          sn.wolo.platform.audit.AdminReads.reply(ctx, vertx, page, "pot_donations", "owner_user_id", 200);
        });
    routes.add(GET, "/v1/donations/:id", TAG, "A donation's status (the donor's app polls it)", PUBLIC,
        // Polled by the donor's app while the payment is pending: 304 until the state changes.
        ctx -> sn.wolo.platform.http.ETags.reply(ctx, Bus.call(vertx, DonationVerticle.address("get"), new JsonObject()
            .put("donation_id", PathParams.uuid(ctx, "id", "donation_not_found").toString())), "no-cache"));
    routes.add(POST, "/v1/admin/donations/:id/refunds", "admin", "Refund a donation through Wave (admin)", BEARER,
        Authn.roles(vertx, tokens, Principal.ADMIN, Principal.SUPER_ADMIN)).handler(routes.idempotent()).handler(ctx -> {
          JsonObject body = JsonBodies.object(ctx);
          JsonBodies.reply(ctx, Bus.call(vertx, DonationVerticle.address("refund"), sn.wolo.platform.audit.AuditContext.of(ctx).addTo(new JsonObject())
              .put("donation_id", PathParams.uuid(ctx, "id", "donation_not_found").toString())
              .put("admin_id", Authn.principal(ctx).userId())
              .put("reason", body.getValue("reason") instanceof String r ? r : "")
              .put("description", body.getValue("description") instanceof String d ? d : null)), 201);
        });
  }

  private void create(RoutingContext ctx) {
    Principal donor = Authn.principalOrNull(ctx);
    JsonObject req = ClientInfo.addTo(ctx, new JsonObject()
        .put("pot_id", PathParams.uuid(ctx, "id", "pot_not_found").toString())
        .put("donation", JsonBodies.object(ctx))
        .put("donor_user_id", donor == null ? null : donor.userId())
        .put("invitation_token", ctx.request().getParam("t")));
    JsonBodies.reply(ctx, Bus.call(vertx, DonationVerticle.address("create"), req), 201);
  }
}
