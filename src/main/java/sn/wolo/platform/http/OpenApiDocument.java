package sn.wolo.platform.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/** Builds the OpenAPI 3.1 document served at {@code /openapi.json} from the mounted {@link Endpoint}s. */
public final class OpenApiDocument {

  private OpenApiDocument() {
  }

  public static JsonObject build(List<Endpoint> endpoints) {
    JsonObject paths = new JsonObject();
    for (Endpoint e : endpoints) {
      JsonObject item = paths.getJsonObject(e.openApiPath());
      if (item == null) {
        item = new JsonObject();
        paths.put(e.openApiPath(), item);
      }
      JsonObject op = new JsonObject()
          .put("operationId", operationId(e))
          .put("summary", e.summary())
          .put("tags", new JsonArray().add(e.tag()))
          .put("responses", new JsonObject()
              .put("default", new JsonObject()
                  .put("description", "Error")
                  .put("content", new JsonObject().put("application/json",
                      new JsonObject().put("schema", new JsonObject().put("$ref", "#/components/schemas/Error"))))));
      JsonArray params = pathParameters(e.openApiPath());
      if (!params.isEmpty()) op.put("parameters", params);
      if (e.security() == Endpoint.Security.BEARER) {
        op.put("security", new JsonArray().add(new JsonObject().put("bearerAuth", new JsonArray())));
      } else if (e.security() == Endpoint.Security.ADMIN_SESSION) {
        op.put("security", new JsonArray().add(new JsonObject().put("adminSession", new JsonArray())));
      } else if (e.security() == Endpoint.Security.WEBHOOK) {
        op.put("security", new JsonArray().add(new JsonObject().put("webhookSignature", new JsonArray())));
      }
      item.put(e.method().name().toLowerCase(Locale.ROOT), op);
    }
    return new JsonObject()
        .put("openapi", "3.1.0")
        .put("info", new JsonObject()
            .put("title", "WOLO Sénégal API")
            .put("version", "v1")
            .put("description", "Birthday money pots paid with Wave. Errors are {\"error\":{\"code\",\"message\",\"request_id\"}}."))
        .put("paths", paths)
        .put("components", new JsonObject()
            .put("securitySchemes", new JsonObject()
                .put("bearerAuth", new JsonObject().put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT"))
                .put("adminSession", new JsonObject().put("type", "http").put("scheme", "bearer")
                    .put("description", "An admin session token from POST /v1/admin/sessions (step-up; idle and absolute timeouts)"))
                .put("webhookSignature", new JsonObject().put("type", "apiKey").put("in", "header").put("name", "Wave-Signature")))
            .put("schemas", new JsonObject().put("Error", errorSchema())));
  }

  private static String operationId(Endpoint e) {
    return e.method().name().toLowerCase(Locale.ROOT) + e.openApiPath().replaceAll("[^A-Za-z0-9]+", "_");
  }

  private static JsonArray pathParameters(String path) {
    JsonArray params = new JsonArray();
    var m = java.util.regex.Pattern.compile("\\{([A-Za-z0-9_]+)}").matcher(path);
    while (m.find()) {
      params.add(new JsonObject().put("name", m.group(1)).put("in", "path").put("required", true)
          .put("schema", new JsonObject().put("type", "string")));
    }
    return params;
  }

  private static JsonObject errorSchema() {
    JsonObject str = new JsonObject().put("type", "string");
    return new JsonObject().put("type", "object").put("required", new JsonArray().add("error"))
        .put("properties", new JsonObject().put("error", new JsonObject().put("type", "object")
            .put("required", new JsonArray().add("code").add("message"))
            .put("properties", new JsonObject().put("code", str).put("message", str).put("request_id", str))));
  }
}
