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
  private final Handler<RoutingContext> adminGate;
  private final List<Endpoint> endpoints = new ArrayList<>();

  public ApiRoutes(Router router, AccessTokens tokens, IdempotencyKeys idempotencyKeys, Handler<RoutingContext> adminGate) {
    this.router = router;
    this.tokens = tokens;
    this.idempotencyKeys = idempotencyKeys;
    this.adminGate = adminGate;
  }

  /** The admin console's prefix: every route under it goes through the admin gate (session + audit) first. */
  public static final String ADMIN_PREFIX = "/v1/admin/";
  /** The one admin route an access token opens: the step-up that creates the admin session. */
  public static final String OPEN_ADMIN_SESSION = "/v1/admin/sessions";

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
    boolean admin = path.startsWith(ADMIN_PREFIX) && !(method == HttpMethod.POST && path.equals(OPEN_ADMIN_SESSION));
    endpoints.add(new Endpoint(method, path, tag, summary, admin ? Endpoint.Security.ADMIN_SESSION : security));
    Route route = router.route(method, path);
    if (admin) route.handler(adminGate);
    return route.handler(handler);
  }

  public List<Endpoint> endpoints() {
    return List.copyOf(endpoints);
  }
}
