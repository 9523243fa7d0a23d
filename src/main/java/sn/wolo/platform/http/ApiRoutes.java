package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.security.AccessTokens;

import java.util.ArrayList;
import java.util.List;

/**
 * Mounts a domain's routes on the edge router and records each one for the OpenAPI document, so a
 * route cannot exist without being described. Domains use it instead of touching the Router.
 */
public final class ApiRoutes {

  private final Router router;
  private final AccessTokens tokens;
  private final IdempotencyKeys idempotencyKeys;
  private final List<Endpoint> endpoints = new ArrayList<>();

  public ApiRoutes(Router router, AccessTokens tokens, IdempotencyKeys idempotencyKeys) {
    this.router = router;
    this.tokens = tokens;
    this.idempotencyKeys = idempotencyKeys;
  }

  /** Put it after authentication on every POST that creates money or sends a message ({@code Idempotency-Key}). */
  public Handler<RoutingContext> idempotent() {
    return idempotencyKeys.handler();
  }

  /** The edge's verifier of access tokens, for the routes' {@code Authn} guards (one per edge instance). */
  public AccessTokens tokens() {
    return tokens;
  }

  public Route add(HttpMethod method, String path, String tag, String summary, Endpoint.Security security,
                   Handler<RoutingContext> handler) {
    endpoints.add(new Endpoint(method, path, tag, summary, security));
    return router.route(method, path).handler(handler);
  }

  public List<Endpoint> endpoints() {
    return List.copyOf(endpoints);
  }
}
