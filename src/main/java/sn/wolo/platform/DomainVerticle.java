package sn.wolo.platform;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.EventConsumer;
import sn.wolo.platform.events.EventSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Base of the ten domain verticles. It opens the shared pool and registers the two addresses every
 * domain answers: {@code wolo.<domain>.health} and {@code wolo.<domain>.export} (GDPR export of a
 * user's data, an empty object where the domain holds none yet).
 */
public abstract class DomainVerticle extends VerticleBase {

  protected final AppContext app;
  protected Pool pool;
  private final List<EventConsumer> consumers = new ArrayList<>();

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
    // Subscriptions are recorded before start completes: the relay (deployed after the domains)
    // then fans every event out to them, none is missed.
    return startDomain().compose(v -> Future.all(consumers.stream().map(EventConsumer::start).toList()));
  }

  @Override
  public final Future<?> stop() {
    return Future.join(consumers.stream().map(EventConsumer::stop).toList()).transform(v -> stopDomain());
  }

  /**
   * Declares a durable consumer of domain events (call it from {@link #startDomain}): each event of
   * {@code types} is applied once by {@code handler}, in a transaction, retried and parked on failure.
   * {@code name} is its identity in the database ({@code <domain>.<purpose>}); renaming it starts a new subscription.
   */
  protected EventConsumer consume(String name, Set<String> types, EventConsumer.Handler handler) {
    EventConsumer consumer = EventConsumer.transactional(vertx, pool, EventSettings.from(app.config()), name, types, handler);
    consumers.add(consumer);
    return consumer;
  }

  /**
   * Like {@link #consume}, a lane's share of each batch in one transaction (one commit for many
   * events): see {@link EventConsumer#batched}. {@code laneKey} partitions the rows the handler locks.
   */
  protected EventConsumer consumeInBatches(String name, Set<String> types, java.util.function.Function<DomainEvent, String> laneKey,
                                           EventConsumer.BatchHandler handler) {
    EventConsumer consumer = EventConsumer.batched(vertx, pool, EventSettings.from(app.config()), name, types, laneKey, handler);
    consumers.add(consumer);
    return consumer;
  }

  /** Like {@link #consume}, for effects outside the database (bus calls, messages): see {@link EventConsumer.Reaction}. */
  protected EventConsumer react(String name, Set<String> types, EventConsumer.Reaction reaction) {
    EventConsumer consumer = EventConsumer.reacting(vertx, pool, EventSettings.from(app.config()), name, types, reaction);
    consumers.add(consumer);
    return consumer;
  }

  /**
   * Like {@link #react}, a lane's share of each batch in one call (say, one write of many rows): see
   * {@link EventConsumer#reactingInBatches}.
   */
  protected EventConsumer reactInBatches(String name, Set<String> types, java.util.function.Function<DomainEvent, String> laneKey,
                                         EventConsumer.BatchReaction reaction) {
    EventConsumer consumer = EventConsumer.reactingInBatches(vertx, pool, EventSettings.from(app.config()), name, types, laneKey, reaction);
    consumers.add(consumer);
    return consumer;
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
