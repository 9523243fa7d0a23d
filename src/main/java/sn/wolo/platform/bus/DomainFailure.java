package sn.wolo.platform.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;

/**
 * How a domain says "no" over the event bus: the reply fails with an HTTP-like status as failure
 * code and {@code "<code>: <message>"} as message, e.g. {@code 404, "pot_not_found: No such pot"};
 * {@code "<code> retry=<seconds>: <message>"} when the client may retry later (429).
 * The HTTP edge turns it back into the JSON error model.
 */
public record DomainFailure(int status, String code, String message, int retryAfterSeconds) {

  private static final java.util.regex.Pattern PREFIX = java.util.regex.Pattern.compile("([a-z0-9_]+)(?: retry=(\\d{1,6}))?");

  public static void reply(Message<?> msg, int status, String code, String message) {
    reply(msg, status, code, message, 0);
  }

  public static void reply(Message<?> msg, int status, String code, String message, int retryAfterSeconds) {
    msg.fail(status, code + (retryAfterSeconds > 0 ? " retry=" + retryAfterSeconds : "") + ": " + message);
  }

  public static DomainFailure parse(ReplyException e) {
    int status = e.failureCode() >= 400 && e.failureCode() <= 599 ? e.failureCode() : 500;
    String text = e.getMessage() == null ? "" : e.getMessage();
    int sep = text.indexOf(": ");
    if (sep > 0) {
      var m = PREFIX.matcher(text.substring(0, sep));
      if (m.matches()) {
        return new DomainFailure(status, m.group(1), text.substring(sep + 2), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
      }
    }
    return new DomainFailure(status, status >= 500 ? "internal_error" : "rejected", text, 0);
  }
}
