package sn.wolo.platform.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;

/**
 * How a domain says "no" over the event bus: the reply fails with an HTTP-like status as failure
 * code and {@code "<code>: <message>"} as message, e.g. {@code 404, "pot_not_found: No such pot"}.
 * The HTTP edge turns it back into the JSON error model.
 */
public record DomainFailure(int status, String code, String message) {

  public static void reply(Message<?> msg, int status, String code, String message) {
    msg.fail(status, code + ": " + message);
  }

  public static DomainFailure parse(ReplyException e) {
    int status = e.failureCode() >= 400 && e.failureCode() <= 599 ? e.failureCode() : 500;
    String text = e.getMessage() == null ? "" : e.getMessage();
    int sep = text.indexOf(": ");
    if (sep > 0 && text.substring(0, sep).matches("[a-z0-9_]+")) {
      return new DomainFailure(status, text.substring(0, sep), text.substring(sep + 2));
    }
    return new DomainFailure(status, status >= 500 ? "internal_error" : "rejected", text);
  }
}
