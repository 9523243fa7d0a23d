package sn.wolo.donation;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.Endpoint;
import sn.wolo.platform.wave.WaveSignature;

/**
 * {@code POST /v1/webhooks/wave}: authenticate the delivery against the raw body (signing secret or
 * shared secret, constant time, ±tolerance), then write it durably (group commit) and only then
 * answer 200 — processing happens afterwards in the donation verticle. Unauthenticated deliveries
 * get 401 and nothing is stored; duplicates get 200 and change nothing.
 */
public final class WaveWebhookApi implements DomainApi {

  private WebhookIntake intake;
  private String secret;
  private boolean signing;
  private long tolerance;
  private AppContext app;
  private Vertx vertx;

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    this.vertx = vertx;
    this.app = app;
    DonationSettings settings = DonationSettings.from(app.config());
    this.intake = new WebhookIntake(pool, app.clock(), settings.webhookBatchMax());
    this.secret = settings.webhookSecret();
    this.signing = settings.webhookSigned();
    this.tolerance = settings.webhookToleranceSeconds();
    routes.add(HttpMethod.POST, "/v1/webhooks/wave", "donation", "Wave webhook deliveries (signed)", Endpoint.Security.WEBHOOK,
        this::receive);
  }

  private void receive(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    byte[] bytes = raw == null ? new byte[0] : raw.getBytes();
    boolean authentic = signing
        ? WaveSignature.verify(ctx.request().getHeader("Wave-Signature"), bytes, secret, app.clock().instant().getEpochSecond(), tolerance)
        : WaveSignature.verifyBearer(ctx.request().getHeader("Authorization"), secret);
    if (!authentic) throw new DomainException(ErrorKind.UNAUTHENTICATED, "invalid_signature", "The webhook signature is missing, wrong or stale.");
    JsonObject event;
    try {
      event = raw == null ? null : raw.toJsonObject();
    } catch (RuntimeException e) {
      event = null;
    }
    if (event == null || !(event.getValue("id") instanceof String id) || id.isEmpty() || id.length() > 100
        || !(event.getValue("type") instanceof String type) || type.length() > 50) {
      throw DomainException.invalid("invalid_event", "A Wave event has an id and a type.");
    }
    intake.store(id, type, event).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());   // 500: Wave retries later, nothing lost
        return;
      }
      if (ar.result()) vertx.eventBus().send(DonationVerticle.PROCESS_WEBHOOKS, null);
      ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
          .end(ar.result() ? "{\"received\":true}" : "{\"received\":true,\"duplicate\":true}");
    });
  }
}
