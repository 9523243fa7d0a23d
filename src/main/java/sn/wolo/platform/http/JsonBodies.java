package sn.wolo.platform.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.errors.DomainException;

/** Reading and writing JSON bodies with the error model's codes. */
public final class JsonBodies {

  private JsonBodies() {
  }

  /** The request body as a JSON object, or a 400 {@code invalid_json}. */
  public static JsonObject object(RoutingContext ctx) {
    JsonObject parsed = ctx.get(ContractValidation.PARSED_BODY);
    if (parsed != null) return parsed;   // already parsed (and checked) against the contract
    var body = ctx.body();
    if (body == null || body.buffer() == null || body.length() == 0) {
      throw DomainException.invalid("invalid_json", "A JSON object body is required.");
    }
    try {
      Object value = body.buffer().toJsonValue();
      if (value instanceof JsonObject o) return o;
    } catch (DecodeException e) {
      // fall through: the message of the parser may echo the body, which can hold secrets
    }
    throw DomainException.invalid("invalid_json", "The body is not a JSON object.");
  }

  /** Sends the result of a domain call: the JSON with {@code status} (204: no body), or the failure. */
  public static void reply(RoutingContext ctx, io.vertx.core.Future<JsonObject> result, int status) {
    result.onComplete(ar -> {
      if (ar.failed()) ctx.fail(ar.cause());
      else if (status == 204) IdempotencyKeys.end(ctx, 204, null);
      else send(ctx, status, ar.result());
    });
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().headWritten()) ctx.response().putHeader("Content-Type", "application/json; charset=utf-8");
    IdempotencyKeys.end(ctx, status, body.encode());
  }
}
