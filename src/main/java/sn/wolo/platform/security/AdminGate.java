package sn.wolo.platform.security;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.http.ClientInfo;
import sn.wolo.platform.http.RequestId;

import java.util.HashSet;
import java.util.Set;

/**
 * The first handler of every {@code /v1/admin/*} route (put there by {@code ApiRoutes}): the caller
 * presents an admin session token ({@code POST /v1/admin/sessions}), not an access token. The
 * admin domain checks the session (idle and absolute timeouts, same IP and user agent) and writes
 * the request's audit row in the same transaction, so no admin route runs unaudited. The route's own
 * role guard then applies to the session's roles.
 */
public final class AdminGate implements Handler<RoutingContext> {

  /** {@code {"token_hash","ip","user_agent","request_id","method","route"}} → {@code {"user_id","roles","session_id","admin_session_id"}}. */
  public static final String CHECK = Addresses.request("admin", "session-check");
  private static final int MAX_TOKEN = 200;

  private final Vertx vertx;

  public AdminGate(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(new DomainException(ErrorKind.UNAUTHENTICATED, "admin_session_required", "Admin routes need an admin session token (POST /v1/admin/sessions)."));
      return;
    }
    String token = header.substring(7).trim();
    if (AccessTokens.canonical(token)) {
      ctx.fail(new DomainException(ErrorKind.FORBIDDEN, "admin_session_required",
          "An access token does not open admin routes: open an admin session (POST /v1/admin/sessions)."));
      return;
    }
    if (token.isEmpty() || token.length() > MAX_TOKEN) {
      ctx.fail(new DomainException(ErrorKind.UNAUTHENTICATED, "admin_session_invalid", "This admin session token is invalid or has ended."));
      return;
    }
    JsonObject check = new JsonObject().put("token_hash", Tokens.sha256(token)).put("ip", ClientInfo.ip(ctx))
        .put("user_agent", ctx.request().getHeader("User-Agent")).put("request_id", RequestId.of(ctx))
        .put("method", ctx.request().method().name()).put("route", ctx.currentRoute().getPath());
    Bus.call(vertx, CHECK, check).onSuccess(s -> {
      if (RevokedSessions.contains(vertx, s.getString("session_id"))) {
        ctx.fail(new DomainException(ErrorKind.UNAUTHENTICATED, "session_revoked", "The session this admin session stepped up from has been signed out."));
        return;
      }
      var roles = new HashSet<String>();
      s.getJsonArray("roles").forEach(r -> roles.add(String.valueOf(r)));
      Authn.admit(ctx, new Principal(s.getString("user_id"), Set.copyOf(roles), s.getString("session_id")));
      ctx.next();
    }).onFailure(ctx::fail);
  }
}
