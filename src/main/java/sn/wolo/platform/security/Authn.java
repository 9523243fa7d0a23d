package sn.wolo.platform.security;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;

/**
 * Route guards. {@code Authn.required} verifies the bearer token (and that its session is not
 * revoked) and stores the {@link Principal}; {@code Authn.roles} additionally demands one of the
 * roles. Handlers read the caller with {@link #principal}; ownership checks use
 * {@link #requireSelfOrAdmin}.
 */
public final class Authn {

  private static final String KEY = "wolo.principal";

  /**
   * A route's guard: who may call it. Protected routes start with one (the edge refuses to mount them
   * otherwise), and the request is checked against the contract only once the guard let it through.
   */
  public interface Guard extends Handler<RoutingContext> {
  }

  private Authn() {
  }

  public static Guard required(Vertx vertx, AccessTokens tokens) {
    return ctx -> authenticate(vertx, tokens, ctx, true, new String[0]);
  }

  /** Authenticates when a token is present; anonymous callers pass through without a principal. */
  public static Guard optional(Vertx vertx, AccessTokens tokens) {
    return ctx -> authenticate(vertx, tokens, ctx, false, new String[0]);
  }

  public static Guard roles(Vertx vertx, AccessTokens tokens, String... anyOf) {
    return ctx -> authenticate(vertx, tokens, ctx, true, anyOf);
  }

  public static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(KEY);
    if (p == null) throw DomainException.unauthenticated("Authentication is required.");
    return p;
  }

  public static Principal principalOrNull(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  public static void requireSelfOrAdmin(RoutingContext ctx, String ownerUserId) {
    Principal p = principal(ctx);
    if (!p.userId().equals(ownerUserId) && !p.isAdmin()) {
      throw DomainException.forbidden("You can only act on your own resources.");
    }
  }

  /** The caller as the {@link AdminGate} established it (an admin session); the route's guards then check roles only. */
  static void admit(RoutingContext ctx, Principal principal) {
    ctx.put(KEY, principal);
  }

  private static void authenticate(Vertx vertx, AccessTokens tokens, RoutingContext ctx, boolean required, String[] roles) {
    Principal admitted = ctx.get(KEY);
    if (admitted != null) {
      if (roles.length > 0 && !admitted.hasAnyRole(roles)) {
        ctx.fail(DomainException.forbidden("This requires one of the roles " + String.join(", ", roles) + "."));
      } else {
        ctx.next();
      }
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      if (required) ctx.fail(DomainException.unauthenticated("A bearer access token is required."));
      else ctx.next();
      return;
    }
    tokens.verify(header.substring(7).trim()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(new DomainException(ErrorKind.UNAUTHENTICATED, "invalid_token", "The access token is invalid or expired."));
      } else if (RevokedSessions.contains(vertx, ar.result().sessionId())) {
        ctx.fail(new DomainException(ErrorKind.UNAUTHENTICATED, "session_revoked", "This session has been signed out."));
      } else if (roles.length > 0 && !ar.result().hasAnyRole(roles)) {
        ctx.fail(DomainException.forbidden("This requires one of the roles " + String.join(", ", roles) + "."));
      } else {
        ctx.put(KEY, ar.result());
        ctx.next();
      }
    });
  }
}
