package sn.wolo.platform.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * The API's contract: {@code src/main/resources/openapi/wolo.yaml}, written by hand and read at start.
 * The edge builds its routes from it, validates requests against it, and serves it as
 * {@code /openapi.json}; tests validate every response against it.
 */
public final class ApiContract {

  public static final String RESOURCE = "openapi/wolo.yaml";

  private final String resource;
  private final OpenAPIContract contract;
  private final JsonObject document;

  private ApiContract(String resource, OpenAPIContract contract, JsonObject document) {
    this.resource = resource;
    this.contract = contract;
    this.document = document;
  }

  /** Reads and resolves the contract (file reading on a worker; the library checks it against the OpenAPI 3.1 schema). */
  public static Future<ApiContract> load(Vertx vertx) {
    return load(vertx, RESOURCE);
  }

  public static Future<ApiContract> load(Vertx vertx, String resource) {
    return vertx.executeBlocking(() -> readDocument(resource))
        .compose(doc -> OpenAPIContract.from(vertx, forLibrary(doc)).map(c -> new ApiContract(resource, c, doc)));
  }

  /** What vertx-openapi 5.0 can read: it refuses media types it cannot validate (HTML, CSV, images, forms). */
  private static final Set<String> LIBRARY_MEDIA = Set.of("application/json", "text/plain", "application/octet-stream", "multipart/form-data");

  /**
   * A copy of the document without the media types the library refuses (it has no registry for
   * more in 5.0): those bodies (the guest pages' HTML and form, CSV exports, QR images) are not
   * schema-checked; their statuses and media types still are, by the tests, against {@link #document}.
   */
  static JsonObject forLibrary(JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject paths = copy.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!(item.getValue(method) instanceof JsonObject op)) continue;
        if (op.getJsonObject("requestBody") != null) {
          JsonObject content = op.getJsonObject("requestBody").getJsonObject("content", new JsonObject());
          content.fieldNames().removeIf(type -> !LIBRARY_MEDIA.contains(type));
          if (content.isEmpty()) op.remove("requestBody");
        }
        for (Object response : op.getJsonObject("responses", new JsonObject())) {
          if (((Map.Entry<?, ?>) response).getValue() instanceof JsonObject r && r.getJsonObject("content") != null) {
            r.getJsonObject("content").fieldNames().removeIf(type -> !LIBRARY_MEDIA.contains(type));
          }
        }
      }
    }
    return copy;
  }

  /** The media types the document gives a response of {@code operationId} with {@code status} (its default when not listed). */
  public Set<String> mediaTypes(Operation operation, int status) {
    JsonObject responses = document.getJsonObject("paths").getJsonObject(operation.getOpenAPIPath())
        .getJsonObject(operation.getHttpMethod().name().toLowerCase(java.util.Locale.ROOT)).getJsonObject("responses");
    Object r = responses.getValue(Integer.toString(status));
    if (r == null) r = responses.getValue("default");
    if (r instanceof JsonObject response && response.containsKey("$ref")) {
      r = document.getJsonObject("components").getJsonObject("responses").getJsonObject(response.getString("$ref").replaceAll(".*/", ""));
    }
    return r instanceof JsonObject response && response.getJsonObject("content") != null ? response.getJsonObject("content").fieldNames() : Set.of();
  }

  /** The contract as written (YAML read as JSON), for {@code /openapi.json} and tests. */
  public static JsonObject readDocument() {
    return readDocument(RESOURCE);
  }

  static JsonObject readDocument(String resource) {
    try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is not on the classpath");
      @SuppressWarnings("unchecked")
      Map<String, Object> yaml = new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
      return new JsonObject(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public OpenAPIContract resolved() {
    return contract;
  }

  public JsonObject document() {
    return document;
  }

  /** The operation documented for a route, or an error naming the undocumented route. */
  public Operation operation(Endpoint route) {
    String openApiPath = route.openApiPath();
    for (Operation op : contract.operations()) {
      if (op.getHttpMethod().equals(route.method()) && op.getOpenAPIPath().equals(openApiPath)) return op;
    }
    throw new IllegalStateException("The route " + route.method() + " " + openApiPath + " is not in " + resource
        + ": describe it there (request, responses, security) before mounting it.");
  }
}
