package sn.wolo.platform.wave;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Wave's answer shapes, for the simulator: errors {@code {"code","message"}} and validation details. */
final class WaveSimulatorResponses {

  private WaveSimulatorResponses() {
  }

  /** The request's JSON object, or null after answering Wave's 400 for anything else. */
  static JsonObject objectBody(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null) return body;
    } catch (RuntimeException e) {
      // answered below
    }
    error(ctx, 400, "request-validation-error", "Body must be a JSON object.");
    return null;
  }

  static void validation(RoutingContext ctx, String field, String msg) {
    ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("code", "request-validation-error").put("message", "Request validation error")
        .put("details", new JsonArray().add(new JsonObject().put("loc", new JsonArray().add("body").add(field))
            .put("msg", msg).put("type", "value_error"))).encode());
  }

  static void error(RoutingContext ctx, int status, String code, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("code", code).put("message", message).encode());
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
