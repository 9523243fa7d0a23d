package sn.wolo.platform.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The caller's network facts for audit and fraud rules. The IP is the TCP peer: behind a load
 * balancer, configure it to preserve the client address (PROXY protocol) rather than trusting a
 * spoofable X-Forwarded-For header.
 */
public final class ClientInfo {

  private ClientInfo() {
  }

  public static String ip(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
  }

  /** Adds {@code ip}, {@code user_agent} and the app's optional {@code X-Device-Info} to a bus request. */
  public static JsonObject addTo(RoutingContext ctx, JsonObject req) {
    String device = ctx.request().getHeader("X-Device-Info");
    return req.put("ip", ip(ctx)).put("user_agent", ctx.request().getHeader("User-Agent"))
        .put("device", device == null || device.length() > 200 ? null : new JsonObject().put("label", device));
  }
}
