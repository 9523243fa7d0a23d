package sn.wolo.platform.errors;

import io.vertx.core.json.JsonObject;

/** One invalid field of a request: where ({@code path}, e.g. {@code pot.title}), which rule, and a message. */
public record FieldError(String path, String code, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("path", path).put("code", code).put("message", message);
  }

  public static FieldError fromJson(JsonObject json) {
    return new FieldError(json.getString("path"), json.getString("code"), json.getString("message"));
  }
}
