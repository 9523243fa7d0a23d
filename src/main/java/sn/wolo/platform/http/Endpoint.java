package sn.wolo.platform.http;

import io.vertx.core.http.HttpMethod;

/** One documented route: what {@link ApiRoutes} mounts and what /openapi.json describes. */
public record Endpoint(HttpMethod method, String path, String tag, String summary, Security security) {

  /** {@code ADMIN_SESSION}: every {@code /v1/admin/*} route but the one that opens the session. */
  public enum Security { PUBLIC, BEARER, ADMIN_SESSION, WEBHOOK }

  /** Vert.x's {@code /v1/pots/:id} as OpenAPI's {@code /v1/pots/{id}}. */
  public String openApiPath() {
    return path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
  }
}
