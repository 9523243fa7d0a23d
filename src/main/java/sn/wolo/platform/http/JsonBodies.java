package sn.wolo.platform.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading and writing JSON bodies with the error model's codes. */
public final class JsonBodies {

  private JsonBodies() {
  }

  /** The request body as a JSON object, or a 400 {@code invalid_json}. */
  public static JsonObject object(RoutingContext ctx) {
    var body = ctx.body();
    if (body == null || body.buffer() == null || body.length() == 0) {
      throw ApiError.badRequest("invalid_json", "A JSON object body is required.");
    }
    try {
      Object value = body.buffer().toJsonValue();
      if (value instanceof JsonObject o) return o;
    } catch (DecodeException e) {
      // fall through: the message of the parser may echo the body, which can hold secrets
    }
    throw ApiError.badRequest("invalid_json", "The body is not a JSON object.");
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }
}
