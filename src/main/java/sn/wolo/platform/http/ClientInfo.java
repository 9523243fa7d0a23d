package sn.wolo.platform.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The caller's network facts for audit, limits and fraud rules. The IP is the one
 * {@link TrustedProxies} resolved (the TCP peer, or the forwarded client when the peer is a
 * configured proxy).
 */
public final class ClientInfo {

  private ClientInfo() {
  }

  public static String ip(RoutingContext ctx) {
    String resolved = ctx.get(TrustedProxies.CLIENT_IP);
    if (resolved != null) return resolved;
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host();
  }

  /** Adds {@code ip}, {@code user_agent} and the app's optional {@code X-Device-Info} to a bus request. */
  public static JsonObject addTo(RoutingContext ctx, JsonObject req) {
    String device = ctx.request().getHeader("X-Device-Info");
    return req.put("ip", ip(ctx)).put("user_agent", ctx.request().getHeader("User-Agent"))
        .put("device", device == null || device.length() > 200 ? null : new JsonObject().put("label", device));
  }
}
