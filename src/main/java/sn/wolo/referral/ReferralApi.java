package sn.wolo.referral;

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
import sn.wolo.platform.http.QueryParams;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.validation.BodyFields;

import java.util.Set;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;

/** HTTP routes of referrals: my code, contact batches, invitations and today's limit, my points and their conversion. */
public final class ReferralApi implements DomainApi {

  private static final String TAG = "referral";
  private static final Set<String> STATUSES = Set.of("sent", "accepted", "expired", "declined");
  private Vertx vertx;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.vertx = vertx;
    var auth = Authn.required(vertx, routes.tokens());
    routes.add(GET, "/v1/me/referral-code", TAG, "My referral code and the link that carries it", BEARER, auth)
        .handler(ctx -> call(ctx, "code", me(ctx), 200));
    routes.add(POST, "/v1/referrals/batches", TAG, "Upload up to 50 phone contacts to choose from {\"contacts\":[{\"name\",\"phone\"}]}",
        BEARER, auth).handler(ctx -> {
          var contacts = BodyFields.of(JsonBodies.object(ctx), Set.of("contacts")).array("contacts", 50, true);
          call(ctx, "batch", me(ctx).put("contacts", contacts), 201);
        });
    routes.add(POST, "/v1/referrals", TAG, "Invite contacts {\"batch_id?\",\"contacts\",\"channel\":\"sms|whatsapp\"} (50 a day)", BEARER, auth)
        .handler(routes.idempotent()).handler(ctx -> call(ctx, "send", me(ctx).put("invitation", JsonBodies.object(ctx)), 201));
    routes.add(GET, "/v1/referrals", TAG, "My invitations, newest first (?status, ?limit, ?cursor → {items, next_cursor})", BEARER, auth).handler(ctx -> {
      String status = ctx.request().getParam("status");
      if (status != null && !STATUSES.contains(status)) throw DomainException.invalid("invalid_status", "status is one of " + STATUSES);
      String cursor = ctx.request().getParam("cursor");
      sn.wolo.platform.db.Cursor.decode(cursor);   // 400 before any work when malformed
      call(ctx, "mine", me(ctx).put("status", status).put("cursor", cursor).put("limit", QueryParams.integer(ctx, "limit", 20, 1, 100)), 200);
    });
    routes.add(GET, "/v1/referrals/limits/today", TAG, "How many invitations I may still send today (resets at 00:00 Dakar)", BEARER, auth)
        .handler(ctx -> call(ctx, "limits", me(ctx), 200));
    routes.add(GET, "/v1/me/points", TAG, "My points: spendable balance, pending, history newest first (?limit, ?cursor → next_cursor)", BEARER, auth)
        .handler(ctx -> {
          String cursor = ctx.request().getParam("cursor");
          sn.wolo.platform.db.Cursor.decode(cursor);   // 400 before any work when malformed
          call(ctx, "points", me(ctx).put("cursor", cursor).put("limit", QueryParams.integer(ctx, "limit", 20, 1, 100)), 200);
        });
    routes.add(POST, "/v1/me/points/conversions", TAG, "Convert points into credit on my live pot {\"points\",\"pot_id\"}", BEARER, auth)
        .handler(routes.idempotent()).handler(ctx -> {
          BodyFields f = BodyFields.of(JsonBodies.object(ctx), Set.of("points", "pot_id"));
          call(ctx, "convert", me(ctx).put("points", f.integer("points", 1, 10_000_000, true)).put("pot_id", f.uuid("pot_id", true).toString()), 201);
        });
  }

  private void call(RoutingContext ctx, String verb, JsonObject req, int status) {
    JsonBodies.reply(ctx, Bus.call(vertx, ReferralVerticle.address(verb), req), status);
  }

  private static JsonObject me(RoutingContext ctx) {
    return new JsonObject().put("user_id", Authn.principal(ctx).userId());
  }
}
