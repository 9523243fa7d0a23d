package sn.wolo.platform.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.db.DatabaseErrors;
import sn.wolo.platform.errors.DomainException;

import java.util.Optional;
import java.util.function.Function;

/**
 * Request/reply between domains with JSON bodies. A domain {@link #serve}s an address with a
 * function; a {@link DomainException} it raises travels back whole as a {@link DomainFailure} and the
 * HTTP edge renders it. Anything else is an internal failure logged on the serving side (the caller
 * sees no details).
 */
public final class Bus {

  private static final Logger log = LoggerFactory.getLogger(Bus.class);
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);

  private Bus() {
  }

  public static MessageConsumer<JsonObject> serve(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> service) {
    return vertx.eventBus().consumer(address, msg -> {
      Future<JsonObject> result;
      try {
        result = service.apply(msg.body() == null ? new JsonObject() : msg.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> reply(address, msg, ar.succeeded() ? ar.result() : null, ar.cause()));
    });
  }

  public static Future<JsonObject> call(Vertx vertx, String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, TIMEOUT).map(Message::body);
  }

  private static void reply(String address, Message<JsonObject> msg, JsonObject result, Throwable failure) {
    if (failure == null) {
      msg.reply(result);
      return;
    }
    Optional<DomainException> refusal = DomainFailure.of(failure);
    if (refusal.isEmpty() && DatabaseErrors.unavailable(failure)) {
      log.warn("{} failed: database unavailable ({})", address, failure.toString());
      refusal = Optional.of(DomainException.databaseUnavailable());
    }
    if (refusal.isPresent()) {
      msg.reply(new DomainFailure(refusal.get()));   // also a downstream domain's answer, passed through
    } else if (failure instanceof io.vertx.core.eventbus.ReplyException e) {
      msg.fail(e.failureCode(), e.getMessage());   // a timeout or a missing handler downstream
    } else {
      log.error("{} failed", address, failure);
      msg.reply(new DomainFailure(DomainException.internal()));
    }
  }
}
