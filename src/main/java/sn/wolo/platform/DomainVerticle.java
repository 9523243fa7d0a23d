package sn.wolo.platform;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.bus.Addresses;

/**
 * Base of the ten domain verticles. It opens the shared pool and registers the two addresses every
 * domain answers: {@code wolo.<domain>.health} and {@code wolo.<domain>.export} (GDPR export of a
 * user's data, an empty object where the domain holds none yet).
 */
public abstract class DomainVerticle extends VerticleBase {

  protected final AppContext app;
  protected Pool pool;

  protected DomainVerticle(AppContext app) {
    this.app = app;
  }

  /** The domain's name as used in addresses and topics: {@code pot}, {@code donation}… */
  public abstract String domain();

  @Override
  public final Future<?> start() {
    pool = app.pool();
    vertx.eventBus().<JsonObject>consumer(Addresses.health(domain()), msg ->
        health().onComplete(ar -> msg.reply(ar.succeeded() ? ar.result()
            : new JsonObject().put("status", "DOWN").put("reason", ar.cause().getMessage()))));
    vertx.eventBus().<JsonObject>consumer(Addresses.export(domain()), msg ->
        exportUserData(msg.body().getString("user_id")).onComplete(ar -> {
          if (ar.succeeded()) msg.reply(ar.result());
          else msg.fail(500, "export_failed: " + ar.cause().getMessage());
        }));
    return startDomain();
  }

  @Override
  public final Future<?> stop() {
    return stopDomain();
  }

  /** Registers the domain's own consumers and timers. */
  protected Future<?> startDomain() {
    return Future.succeededFuture();
  }

  protected Future<?> stopDomain() {
    return Future.succeededFuture();
  }

  protected Future<JsonObject> health() {
    return Future.succeededFuture(new JsonObject().put("status", "UP"));
  }

  /** The personal data this domain holds about a user, for the GDPR export. */
  protected Future<JsonObject> exportUserData(String userId) {
    return Future.succeededFuture(new JsonObject());
  }
}
