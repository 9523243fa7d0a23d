package sn.wolo.notification;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.http.PathParams;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.validation.BodyFields;

import java.util.Set;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static sn.wolo.platform.http.Endpoint.Security.BEARER;

/**
 * {@code /v1/me/devices}: the app registers its push token ({@code {"platform":"android|ios","token"}}),
 * lists the user's devices (never their tokens) and removes one (at sign-out).
 */
public final class DevicesApi implements DomainApi {

  private static final String TAG = "notifications";
  private static final Set<String> FIELDS = Set.of("platform", "token");
  private static final Set<String> PLATFORMS = Set.of("android", "ios");

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    var auth = Authn.required(vertx, routes.tokens());
    routes.add(POST, "/v1/me/devices", TAG, "Register this device's push token (201 new, 200 known: {id, platform, created_at})", BEARER, auth)
        .handler(ctx -> {
          BodyFields f = BodyFields.of(JsonBodies.object(ctx), FIELDS);
          String platform = f.oneOf("platform", PLATFORMS, true);
          String token = f.text("token", 4096, true);
          if (token.length() < 20 || !token.matches("[A-Za-z0-9:_.\\-]+")) {
            throw DomainException.invalid("invalid_token", "token is the FCM registration token the app received.");
          }
          JsonObject req = me(ctx).put("platform", platform).put("token", token);
          Bus.call(vertx, NotificationVerticle.address("devices-register"), req).onSuccess(device -> {
            boolean created = Boolean.TRUE.equals(device.remove("created"));
            JsonBodies.send(ctx, created ? 201 : 200, device);
          }).onFailure(ctx::fail);
        });
    routes.add(GET, "/v1/me/devices", TAG, "My devices registered for push notifications", BEARER, auth)
        .handler(ctx -> JsonBodies.reply(ctx, Bus.call(vertx, NotificationVerticle.address("devices-mine"), me(ctx)), 200));
    routes.add(DELETE, "/v1/me/devices/:id", TAG, "Remove one of my devices (no more pushes to it)", BEARER, auth)
        .handler(ctx -> Bus.call(vertx, NotificationVerticle.address("devices-remove"),
                me(ctx).put("device_id", PathParams.uuid(ctx, "id", "device_not_found").toString()))
            .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail));
  }

  private static JsonObject me(io.vertx.ext.web.RoutingContext ctx) {
    return new JsonObject().put("user_id", Authn.principal(ctx).userId());
  }
}
