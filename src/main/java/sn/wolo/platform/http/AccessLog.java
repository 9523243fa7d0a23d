package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON log line per request. Logs the route (secrets in paths masked, see {@link LoggedPath}),
 * never the query string or bodies: those carry phone numbers, tokens and codes.
 */
public final class AccessLog implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger("sn.wolo.access");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(done -> log.atInfo()
        .addKeyValue("request_id", RequestId.of(ctx))
        .addKeyValue("method", ctx.request().method().name())
        .addKeyValue("path", LoggedPath.of(ctx))
        .addKeyValue("status", ctx.response().getStatusCode())
        .addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000)
        .log("http"));
    ctx.next();
  }
}
