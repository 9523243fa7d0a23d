package sn.wolo.platform.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.http.ApiRoutes;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.Endpoint;
import sn.wolo.platform.security.Tokens;

import static io.vertx.core.http.HttpMethod.GET;

/**
 * {@code GET /metrics} in the Prometheus text format. With {@code metrics.token} set, scrapers send
 * it as a Bearer token (compared in constant time); without one it is open in dev and answers 404
 * in prod — metrics reveal traffic and must not reach the internet through the ingress.
 */
public final class MetricsApi implements DomainApi {

  @Override
  public void mount(ApiRoutes routes, Vertx vertx, Pool pool, AppContext app) {
    PrometheusMeterRegistry registry = app.metrics();
    if (registry == null || !app.config().bool("metrics.enabled")) return;
    String token = app.config().optional("metrics.token").orElse("");
    if (token.isEmpty() && !app.config().isDev()) return;
    routes.add(GET, "/metrics", "platform", "Prometheus metrics (Bearer metrics token when one is configured)", Endpoint.Security.PUBLIC, ctx -> {
      if (!token.isEmpty()) {
        if (!Tokens.bearerMatches(ctx.request().getHeader("Authorization"), token)) throw DomainException.unauthenticated("A metrics token is required.");
      }
      vertx.executeBlocking(registry::scrape, false)   // formatting every meter is CPU work: off the event loop
          .onSuccess(body -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(body))
          .onFailure(ctx::fail);
    });
  }
}
