package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import sn.wolo.platform.security.AccessTokens;
import sn.wolo.platform.security.Authn;

import java.util.ArrayList;
import java.util.List;

/**
 * Attaches a domain's handlers to the operations of the {@link ApiContract}: a route the contract does
 * not describe cannot be mounted, and the edge refuses to start while an operation has no handler.
 * Each route runs: the admin gate (admin routes), its guard (who may call it), the contract's
 * validation of the request, then the domain's handlers. Domains use it instead of touching the Router.
 */
public final class ApiRoutes {

  private final RouterBuilder builder;
  private final ApiContract contract;
  private final AccessTokens tokens;
  private final IdempotencyKeys idempotencyKeys;
  private final Handler<RoutingContext> adminGate;
  private final List<Endpoint> endpoints = new ArrayList<>();

  public ApiRoutes(RouterBuilder builder, ApiContract contract, AccessTokens tokens, IdempotencyKeys idempotencyKeys,
                   Handler<RoutingContext> adminGate) {
    this.builder = builder;
    this.contract = contract;
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

  /**
   * Mounts {@code first} on the contract's operation for {@code method path}. On a protected route
   * {@code first} is its guard ({@link Authn.Guard}); on a public one it is the guard or the handler.
   * {@code tag} and {@code summary} say what the route is where the code mounts it; the contract is
   * what clients read.
   */
  public RouteChain add(HttpMethod method, String path, String tag, String summary, Endpoint.Security security,
                        Handler<RoutingContext> first) {
    boolean admin = path.startsWith(ADMIN_PREFIX) && !(method == HttpMethod.POST && path.equals(OPEN_ADMIN_SESSION));
    Endpoint.Security effective = admin ? Endpoint.Security.ADMIN_SESSION : security;
    boolean guarded = first instanceof Authn.Guard;
    if ((effective == Endpoint.Security.BEARER || effective == Endpoint.Security.ADMIN_SESSION) && !guarded) {
      throw new IllegalStateException(method + " " + path + " is protected: its first handler must be an Authn guard");
    }
    Endpoint endpoint = new Endpoint(method, path, tag, summary, effective);
    Operation operation = contract.operation(endpoint);
    OpenAPIRoute route = builder.getRoute(operation.getOperationId());
    if (!route.getHandlers().isEmpty()) throw new IllegalStateException(method + " " + path + " is mounted twice");
    // The library's validation and security are replaced by ours (guard first, then the contract; see ContractValidation).
    route.setDoValidation(false).setDoSecurity(false);
    endpoints.add(endpoint);
    if (admin) route.addHandler(adminGate);
    Handler<RoutingContext> validation = effective == Endpoint.Security.WEBHOOK
        ? null   // the provider's signature is checked over the raw bytes first; its payload is the provider's, not ours
        : new ContractValidation(operation, contract.resolved().getSchemaRepository());
    if (guarded) {
      route.addHandler(first);
      if (validation != null) route.addHandler(validation);
    } else {
      if (validation != null) route.addHandler(validation);
      route.addHandler(first);
    }
    return new RouteChain(route);
  }

  /** Every operation of the contract has a handler, or the edge does not start. */
  void requireEveryOperationMounted() {
    List<String> missing = builder.getRoutes().stream().filter(r -> r.getHandlers().isEmpty())
        .map(r -> r.getOperation().getHttpMethod() + " " + r.getOperation().getOpenAPIPath()).sorted().toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("The contract describes operations no route serves: " + missing);
    }
  }

  public List<Endpoint> endpoints() {
    return List.copyOf(endpoints);
  }
}
