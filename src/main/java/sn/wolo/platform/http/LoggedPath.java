package sn.wolo.platform.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;

/**
 * The request path as it may appear in logs: the matched route's template when there is one
 * ({@code /v1/public/invitations/:token}), else the path with token-like segments masked. Paths can
 * carry bearer secrets (share tokens); query strings are never logged at all.
 */
public final class LoggedPath {

  private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9_\\-]{24,}");
  private static final Pattern UUID_LIKE = Pattern.compile("[0-9a-f-]{36}");

  private LoggedPath() {
  }

  public static String of(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    if (route != null && route.getPath() != null && route.getPath().contains(":")) return route.getPath();
    java.util.StringJoiner out = new java.util.StringJoiner("/");
    for (String segment : ctx.request().path().split("/", -1)) {
      out.add(TOKEN_LIKE.matcher(segment).matches() && !UUID_LIKE.matcher(segment).matches() ? "***" : segment);
    }
    return out.toString();
  }
}
