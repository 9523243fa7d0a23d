package sn.wolo.platform.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import sn.wolo.platform.security.Tokens;

/**
 * Conditional GETs: a strong ETag over the JSON body; a client that sends it back in
 * {@code If-None-Match} gets 304 without the body (an app polling a pending donation, a catalogue
 * browsed again). {@code cacheControl} says how long shared caches may keep it.
 */
public final class ETags {

  private ETags() {
  }

  public static void reply(RoutingContext ctx, Future<JsonObject> result, String cacheControl) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      String body = ar.result().encode();
      String etag = "\"" + Tokens.sha256(body).substring(0, 32) + "\"";
      ctx.response().putHeader("ETag", etag).putHeader("Cache-Control", cacheControl);
      String ifNoneMatch = ctx.request().getHeader("If-None-Match");
      if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"))) {
        ctx.response().setStatusCode(304).end();
        return;
      }
      ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body);
    });
  }
}
