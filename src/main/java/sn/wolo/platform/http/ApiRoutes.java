package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Mounts a domain's routes on the edge router and records each one for the OpenAPI document, so a
 * route cannot exist without being described. Domains use it instead of touching the Router.
 */
public final class ApiRoutes {

  private final Router router;
  private final List<Endpoint> endpoints = new ArrayList<>();

  public ApiRoutes(Router router) {
    this.router = router;
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
