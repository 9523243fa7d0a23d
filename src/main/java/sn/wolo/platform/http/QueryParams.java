package sn.wolo.platform.http;

import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.errors.DomainException;

/** Query parameters checked at the edge: a bounded integer never reaches SQL as an overflow or a negative offset. */
public final class QueryParams {

  private static final java.util.regex.Pattern SMALL_INTEGER = java.util.regex.Pattern.compile("-?\\d{1,9}");

  private QueryParams() {
  }

  /** {@code ?name=} as an integer in [min, max], {@code dflt} when absent; otherwise 400 {@code invalid_<name>}. */
  public static int integer(RoutingContext ctx, String name, int dflt, int min, int max) {
    String v = ctx.request().getParam(name);
    if (v == null) return dflt;
    if (SMALL_INTEGER.matcher(v).matches()) {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) return n;
    }
    throw DomainException.invalid("invalid_" + name, name + " must be an integer from " + min + " to " + max + ".");
  }

  /** {@code ?name=} as an ISO-8601 instant in UTC; otherwise 400 {@code invalid_<name>}. */
  public static java.time.OffsetDateTime instant(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null) return null;
    try {
      return java.time.Instant.parse(v).atOffset(java.time.ZoneOffset.UTC);
    } catch (java.time.format.DateTimeParseException e) {
      throw DomainException.invalid("invalid_" + name, name + " is an ISO-8601 instant, e.g. 2026-11-26T00:00:00Z.");
    }
  }
}
