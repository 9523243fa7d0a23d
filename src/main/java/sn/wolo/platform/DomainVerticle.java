package sn.wolo.platform;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;

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
    Bus.serve(vertx, Addresses.health(domain()), req -> health()
        .recover(e -> Future.succeededFuture(new JsonObject().put("status", "DOWN").put("reason", e.getMessage()))));
    Bus.serve(vertx, Addresses.export(domain()), req -> exportUserData(req.getString("user_id")));
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
