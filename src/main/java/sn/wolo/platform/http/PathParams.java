package sn.wolo.platform.http;

import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.errors.DomainException;

import java.util.UUID;

/** Path parameters: an id that is not a UUID names nothing, so it is a 404, not a 500. */
public final class PathParams {

  private PathParams() {
  }

  public static UUID uuid(RoutingContext ctx, String name, String notFoundCode) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (RuntimeException e) {
      throw DomainException.notFound(notFoundCode, "No such resource.");
    }
  }
}
