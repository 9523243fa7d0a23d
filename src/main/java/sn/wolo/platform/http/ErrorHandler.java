package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.bus.DomainFailure;
import sn.wolo.platform.db.DatabaseErrors;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorMessages;
import sn.wolo.platform.errors.FieldError;

import java.util.List;
import java.util.Map;

/**
 * The one place where failures become HTTP responses: every error, whatever raised it, leaves as
 * {@code {"error":{"code":"…","message":"…","request_id":"…"}}}, never as a stack trace.
 */
public final class ErrorHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);
  /** Set by the edge on a 405: the methods the path does answer. */
  public static final String ALLOW = "wolo.allow";
  /** Set by the edge on every request: the catalogue of messages in other languages. */
  static final String MESSAGES = "wolo.error-messages";

  private static final Map<Integer, String> CODES = Map.ofEntries(
      Map.entry(400, "bad_request"), Map.entry(401, "unauthorized"), Map.entry(403, "forbidden"),
      Map.entry(404, "not_found"), Map.entry(405, "method_not_allowed"), Map.entry(409, "conflict"),
      Map.entry(413, "payload_too_large"), Map.entry(415, "unsupported_media_type"),
      Map.entry(422, "unprocessable_entity"), Map.entry(429, "too_many_requests"),
      Map.entry(500, "internal_error"), Map.entry(502, "bad_gateway"), Map.entry(503, "service_unavailable"),
      Map.entry(504, "gateway_timeout"));

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Throwable failure = ctx.failure();
    java.util.Optional<DomainException> refusal = DomainFailure.of(failure);
    if (refusal.isEmpty() && failure != null && DatabaseErrors.unavailable(failure)) refusal = java.util.Optional.of(DomainException.databaseUnavailable());
    if (refusal.isPresent()) {
      writeDomainFailure(ctx, refusal.get());
    } else if (failure instanceof ReplyException e) {
      writeReplyFailure(ctx, e);
    } else if (failure instanceof HttpException e) {
      int status = e.getStatusCode();
      write(ctx, status, codeFor(status), e.getPayload() != null ? e.getPayload() : defaultMessage(status));
    } else if (failure != null) {
      log.atError().addKeyValue("request_id", RequestId.of(ctx)).setCause(failure)
          .log("unhandled failure on {} {}", ctx.request().method(), LoggedPath.of(ctx));
      write(ctx, 500, "internal_error", "An unexpected error occurred; quote the request id to support.");
    } else {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      if (status == 503) ctx.put(IdempotencyKeys.TIMEOUT_MARK, IdempotencyKeys.TIMED_OUT);   // TimeoutHandler
      write(ctx, status, codeFor(status), defaultMessage(status));
    }
  }

  private static void writeReplyFailure(RoutingContext ctx, ReplyException e) {
    log.atWarn().addKeyValue("request_id", RequestId.of(ctx)).log("event bus {} on {}", e.failureType(), LoggedPath.of(ctx));
    write(ctx, 503, "service_unavailable", "A backend service did not answer; try again shortly.");
  }

  private static void writeDomainFailure(RoutingContext ctx, DomainException e) {
    int status = HttpStatuses.of(e.kind());
    retryAfter(ctx, e.retryAfterSeconds());
    if (status >= 500) {
      log.atError().addKeyValue("request_id", RequestId.of(ctx)).log("domain failure {}: {}", e.code(), e.getMessage());
    }
    write(ctx, status, e.code(), status >= 500 ? defaultMessage(status) : e.getMessage(), e.fields());
  }

  private static void retryAfter(RoutingContext ctx, int seconds) {
    if (seconds > 0) ctx.response().putHeader("Retry-After", Integer.toString(seconds));
  }

  public static void write(RoutingContext ctx, int status, String code, String message) {
    write(ctx, status, code, message, java.util.List.of());
  }

  private static void write(RoutingContext ctx, int status, String code, String message, List<FieldError> fields) {
    // Every 429 says when to come back (a minute unless the refusal knows better).
    if (!ctx.response().headWritten()) {
      if (status == 429 && !ctx.response().headers().contains("Retry-After")) ctx.response().putHeader("Retry-After", "60");
      if (status == 405 && ctx.get(ALLOW) != null) ctx.response().putHeader("Allow", ctx.<String>get(ALLOW));
    }
    ErrorMessages messages = ctx.get(MESSAGES);
    ErrorMessages.Language language = language(ctx);
    if (messages != null) {
      List<FieldError> english = fields;
      message = messages.message(language, code, message, english);
      fields = english.stream().map(f -> messages.field(language, f)).toList();
    }
    if (!ctx.response().headWritten()) {
      ctx.response().putHeader("Content-Language", language == ErrorMessages.Language.EN ? "en" : "fr").putHeader("Vary", "Accept-Language");
    }
    JsonObject error = new JsonObject().put("code", code).put("message", message);
    if (!fields.isEmpty()) error.put("fields", new io.vertx.core.json.JsonArray(fields.stream().map(FieldError::toJson).toList()));
    String requestId = RequestId.of(ctx);
    if (requestId != null) error.put("request_id", requestId);
    if (!ctx.response().headWritten()) ctx.response().putHeader("Content-Type", "application/json; charset=utf-8");
    IdempotencyKeys.end(ctx, status, new JsonObject().put("error", error).encode());
  }

  /** The caller's language: the first of French or English in {@code Accept-Language}; French (fr-SN) when it names neither. */
  static ErrorMessages.Language language(RoutingContext ctx) {
    if (ctx.request().getHeader("Accept-Language") == null) return ErrorMessages.Language.FR;
    for (var header : ctx.acceptableLanguages()) {
      if (header.tag().equalsIgnoreCase("en")) return ErrorMessages.Language.EN;
      if (header.tag().equalsIgnoreCase("fr")) return ErrorMessages.Language.FR;
    }
    return ErrorMessages.Language.FR;
  }

  static String codeFor(int status) {
    return CODES.getOrDefault(status, status >= 500 ? "internal_error" : "bad_request");
  }

  private static String defaultMessage(int status) {
    return switch (status) {
      case 400 -> "The request is malformed.";
      case 401 -> "Authentication is required.";
      case 403 -> "You are not allowed to do this.";
      case 404 -> "No such resource.";
      case 405 -> "This method is not allowed on this resource.";
      case 413 -> "The request body is too large.";
      case 415 -> "Send application/json.";
      case 429 -> "Too many requests; slow down.";
      case 503 -> "The service is temporarily unavailable.";
      default -> status >= 500 ? "An unexpected error occurred." : "The request was rejected.";
    };
  }
}
