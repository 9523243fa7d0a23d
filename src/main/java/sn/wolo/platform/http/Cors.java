package sn.wolo.platform.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * CORS for the web front-ends: only the origins listed in {@code http.cors-origins} (exact
 * {@code https://host[:port]} values, comma-separated) may call the API from a browser; preflights
 * are answered here. No list, no CORS headers (the mobile apps do not need them).
 */
final class Cors {

  private Cors() {
  }

  static Optional<CorsHandler> handler(String origins) {
    List<String> list = Arrays.stream(origins.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
    if (list.isEmpty()) return Optional.empty();
    for (String o : list) {
      if (!o.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
        throw new IllegalArgumentException("WOLO_HTTP_CORS_ORIGINS: '" + o + "' is not an origin (scheme://host[:port])");
      }
    }
    return Optional.of(CorsHandler.create().addOrigins(list).allowCredentials(false).maxAgeSeconds(600)
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE))
        .allowedHeaders(Set.of("Authorization", "Content-Type", "Idempotency-Key", "If-None-Match", "X-Install-Id", "X-Request-Id"))
        .exposedHeaders(Set.of("ETag", "Retry-After", "X-Request-Id", "Idempotent-Replayed")));
  }
}
