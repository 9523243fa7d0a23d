package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;

/** The handlers of one contract operation, in the order they run (what {@link ApiRoutes#add} returns). */
public final class RouteChain {

  private final OpenAPIRoute route;

  RouteChain(OpenAPIRoute route) {
    this.route = route;
  }

  public RouteChain handler(Handler<RoutingContext> handler) {
    route.addHandler(handler);
    return this;
  }
}
