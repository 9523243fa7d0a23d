package sn.wolo.notification;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.Endpoint;
import sn.wolo.platform.http.JsonBodies;

import java.util.Set;

/**
 * {@code POST /v1/webhooks/notifications/{provider}}: providers report delivery
 * ({@code {"provider_message_id","status":"delivered|failed|bounced","error"?}}), authenticated with
 * {@code Authorization: Bearer <WOLO_NOTIFICATION_CALLBACK_SECRET>} (constant-time; refused when unset).
 */
public final class DeliveryCallbackApi implements DomainApi {

  private static final Set<String> PROVIDERS = Set.of("smtp", "sms_gateway", "whatsapp_business");

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    String secret = NotificationSettings.from(app.config()).callbackSecret();
    routes.add(HttpMethod.POST, "/v1/webhooks/notifications/:provider", "notification", "Provider delivery reports",
        Endpoint.Security.WEBHOOK, ctx -> {
          if (!sn.wolo.platform.security.Tokens.bearerMatches(ctx.request().getHeader("Authorization"), secret)) {
            throw new DomainException(ErrorKind.UNAUTHENTICATED, "unauthorized", "Unknown caller.");
          }
          String provider = ctx.pathParam("provider");
          if (!PROVIDERS.contains(provider)) throw DomainException.notFound("provider_not_found", "Unknown provider.");
          JsonObject body = JsonBodies.object(ctx);
          JsonBodies.reply(ctx, Bus.call(vertx, Addresses.request(NotificationVerticle.DOMAIN, "delivery-status"), new JsonObject()
              .put("provider", provider).put("provider_message_id", body.getValue("provider_message_id") instanceof String s ? s : null)
              .put("status", body.getValue("status") instanceof String s ? s : "").put("error", body.getValue("error") instanceof String s ? s : null)
              .put("raw", body)), 200);
        });
  }
}
