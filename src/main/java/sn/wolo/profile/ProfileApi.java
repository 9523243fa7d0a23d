package sn.wolo.profile;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.notification.api.NotificationPreferences;
import sn.wolo.notification.api.Notifications;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.audit.AdminReads;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.ContractJson;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.http.PathParams;
import sn.wolo.platform.security.AccessTokens;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;

import java.util.UUID;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;
import static sn.wolo.platform.http.Endpoint.Security.PUBLIC;

/** HTTP routes of profiles: /v1/me/profile, addresses, guardians, ID documents, public profiles. */
public final class ProfileApi implements DomainApi {

  private static final String TAG = "profile";
  private Vertx vertx;
  private Notifications notifications;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.vertx = vertx;
    this.notifications = TypedBus.proxy(vertx, Notifications.class);
    AccessTokens tokens = routes.tokens();
    var auth = Authn.required(vertx, tokens);
    var admin = Authn.roles(vertx, tokens, Principal.ADMIN, Principal.SUPER_ADMIN);

    routes.add(GET, "/v1/me/profile", TAG, "My profile and notification preferences", BEARER, auth).handler(this::getMine);
    routes.add(PUT, "/v1/me/profile", TAG, "Create or update my profile (minors: guardian_phone)", BEARER, auth).handler(this::putMine);
    routes.add(GET, "/v1/me/addresses", TAG, "My addresses", BEARER, auth)
        .handler(ctx -> address(ctx, new JsonObject().put("op", "list"), 200));
    routes.add(POST, "/v1/me/addresses", TAG, "Add an address", BEARER, auth)
        .handler(ctx -> address(ctx, new JsonObject().put("op", "create").put("address", JsonBodies.object(ctx)), 201));
    routes.add(PUT, "/v1/me/addresses/:id", TAG, "Replace an address", BEARER, auth)
        .handler(ctx -> address(ctx, new JsonObject().put("op", "update").put("id", ctx.pathParam("id"))
            .put("address", JsonBodies.object(ctx)), 200));
    routes.add(DELETE, "/v1/me/addresses/:id", TAG, "Delete an address", BEARER, auth)
        .handler(ctx -> address(ctx, new JsonObject().put("op", "delete").put("id", ctx.pathParam("id")), 204));
    routes.add(GET, "/v1/me/guardian-requests", TAG, "Guardian requests waiting for my answer", BEARER, auth)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, ProfileVerticle.address("guardian-requests"), me(ctx)), 200));
    routes.add(POST, "/v1/guardian-requests/:id/accept", TAG, "Accept to be a minor's guardian", BEARER, auth)
        .handler(ctx -> answer(ctx, true));
    routes.add(POST, "/v1/guardian-requests/:id/decline", TAG, "Decline to be a minor's guardian", BEARER, auth)
        .handler(ctx -> answer(ctx, false));
    routes.add(PUT, "/v1/me/id-document", TAG, "Submit my ID document (the number is encrypted at rest)", BEARER, auth)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, ProfileVerticle.address("submit-id"),
            me(ctx).put("document", JsonBodies.object(ctx))), 200));
    routes.add(POST, "/v1/admin/users/:id/verify-id", "admin", "Mark a user's ID document verified (admin)", BEARER, admin)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, ProfileVerticle.address("verify-id"), new JsonObject()
            .put("user_id", PathParams.uuid(ctx, "id", "user_not_found").toString())
            .put("admin_id", Authn.principal(ctx).userId())), 200));
    routes.add(GET, "/v1/users/:id/profile", TAG, "A user's public profile (private ones: 404)", PUBLIC,
        Authn.optional(vertx, tokens)).handler(ctx -> {
          Principal viewer = Authn.principalOrNull(ctx);
          AdminReads.reply(ctx, vertx, Bus.call(vertx, ProfileVerticle.address("public"), new JsonObject()
              .put("user_id", PathParams.uuid(ctx, "id", "profile_not_found").toString())
              .put("viewer_id", viewer == null ? null : viewer.userId())
              .put("viewer_is_admin", viewer != null && viewer.isAdmin())), "profile", "user_id", 200);
        });
  }

  private void getMine(RoutingContext ctx) {
    JsonObject me = me(ctx);
    Future<JsonObject> profile = Bus.call(vertx, ProfileVerticle.address("get"), me);
    Future<NotificationPreferences> prefs = notifications.preferences(UUID.fromString(Authn.principal(ctx).userId()));
    JsonBodies.reply(ctx, Future.all(profile, prefs).map(v -> profile.result().put("notification_preferences",
        ContractJson.toJson(prefs.result()))), 200);
  }

  private void putMine(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    JsonObject me = me(ctx);
    JsonObject prefsIn = body.getValue("notification_preferences") instanceof JsonObject p ? p : null;
    UUID userId = UUID.fromString(Authn.principal(ctx).userId());
    Future<NotificationPreferences> prefs = prefsIn == null ? notifications.preferences(userId)
        : notifications.updatePreferences(userId, prefsIn.getMap());
    JsonBodies.reply(ctx, prefs.compose(p -> Bus.call(vertx, ProfileVerticle.address("upsert"), me.copy().put("profile", body))
        .map(profile -> profile.put("notification_preferences", ContractJson.toJson(p)))), 200);
  }

  private void address(RoutingContext ctx, JsonObject command, int status) {
    JsonBodies.reply(ctx, Bus.call(vertx, ProfileVerticle.address("addresses"), command.put("user_id", Authn.principal(ctx).userId())), status);
  }

  private void answer(RoutingContext ctx, boolean accept) {
    JsonBodies.reply(ctx, Bus.call(vertx, ProfileVerticle.address("guardian-answer"), me(ctx)
        .put("request_id", PathParams.uuid(ctx, "id", "guardian_request_not_found").toString()).put("accept", accept)), 200);
  }

  private static JsonObject me(RoutingContext ctx) {
    return new JsonObject().put("user_id", Authn.principal(ctx).userId());
  }

}
