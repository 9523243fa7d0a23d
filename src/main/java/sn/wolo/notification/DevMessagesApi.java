package sn.wolo.notification;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.Endpoint;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.phone.PhoneNumbers;

/**
 * {@code GET /v1/dev/messages?recipient=…}: the sandbox messages sent to a phone or email, newest
 * first, so a newcomer can read the OTP they requested. Mounted only in the dev profile.
 */
public final class DevMessagesApi implements DomainApi {

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    if (!app.config().isDev()) return;
    routes.add(HttpMethod.GET, "/v1/dev/messages", "dev", "Sandbox messages sent to a recipient (dev profile only)",
        Endpoint.Security.PUBLIC, ctx -> {
          String recipient = ctx.request().getParam("recipient");
          if (recipient == null || recipient.isBlank()) throw DomainException.invalid("recipient_required", "Give ?recipient=<phone or email>.");
          String who = recipient.contains("@") ? recipient.trim().toLowerCase(java.util.Locale.ROOT) : PhoneNumbers.normalise(recipient);
          Bus.call(vertx, NotificationVerticle.RECENT, new JsonObject().put("recipient", who).put("limit", 20))
              .onSuccess(r -> JsonBodies.send(ctx, 200, r))
              .onFailure(ctx::fail);
        });
  }
}
