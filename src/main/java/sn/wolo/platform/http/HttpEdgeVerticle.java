package sn.wolo.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.errors.ErrorMessages;
import sn.wolo.platform.security.AccessTokens;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP edge: one Router per instance (instances = cores share the port), request ids, access
 * log, body limit, the domains' routes, the OpenAPI document and one JSON error model for every
 * failure. Handlers stay thin and call the domains over the event bus.
 */
public final class HttpEdgeVerticle extends VerticleBase {

  /** Endpoints that take batches (up to 500 analytics events) get the larger body limit. */
  private static final java.util.Set<String> BATCH_PATHS = java.util.Set.of("/v1/analytics/events");

  private final AppContext app;
  private final Supplier<List<DomainApi>> apis;
  private Pool pool;
  private ErrorMessages messages;
  private HttpServer server;
  private Router router;

  private final String contractResource;
  private final boolean everyOperationMounted;

  /** The production edge: the routes of {@code apis} must be exactly the operations of {@link ApiContract#RESOURCE}. */
  public HttpEdgeVerticle(AppContext app, Supplier<List<DomainApi>> apis) {
    this(app, apis, ApiContract.RESOURCE, true);
  }

  /**
   * An edge over another contract (tests mount a few routes on a contract of their own);
   * {@code everyOperationMounted} false lets operations without a route answer 503.
   */
  public HttpEdgeVerticle(AppContext app, Supplier<List<DomainApi>> apis, String contractResource, boolean everyOperationMounted) {
    this.app = app;
    this.apis = apis;
    this.contractResource = contractResource;
    this.everyOperationMounted = everyOperationMounted;
  }

  @Override
  public Future<?> start() {
    pool = app.pool();
    return vertx.executeBlocking(ErrorMessages::load).compose(messages -> {
      this.messages = messages;
      return ApiContract.load(vertx, contractResource);
    }).compose(this::listen);
  }

  private Future<HttpServer> listen(ApiContract contract) {
    router = buildRouter(contract);
    var options = new HttpServerOptions()
        .setHost(app.config().string("http.host"))
        .setPort(app.config().integer("http.port"))
        .setCompressionSupported(true)
        .setIdleTimeout(60);
    return vertx.createHttpServer(options).requestHandler(router).invalidRequestHandler(HttpEdgeVerticle::invalidRequest)
        .listen().onSuccess(s -> server = s);
  }

  /** Graceful: stop accepting, let in-flight requests finish within the grace period, then close. */
  @Override
  public Future<?> stop() {
    Future<Void> shutdown = server == null ? Future.succeededFuture()
        : server.shutdown(app.config().integer("http.shutdown-grace-seconds"), TimeUnit.SECONDS);
    return shutdown.transform(v -> Future.join(mounted.stream().map(DomainApi::close).toList()).mapEmpty());
  }

  /** API answers are personal: never cached, never sniffed as another content type, never framed. */
  private static void securityHeaders(io.vertx.ext.web.RoutingContext ctx) {
    ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store")
        .putHeader("X-Frame-Options", "DENY").putHeader("Referrer-Policy", "no-referrer")
        // Browsers only heed it over HTTPS (the ingress terminates TLS); harmless on plain HTTP.
        .putHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    ctx.next();
  }

  /**
   * Requests the HTTP decoder refused before any route (a request line or headers too long,
   * malformed): the error model too, not an empty body. The connection is closed after it.
   */
  private static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String code;
    String message;
    String kind = cause == null ? "" : cause.getClass().getSimpleName();   // Netty's TooLongHttpHeader/LineException
    if (kind.contains("Header")) {
      status = 431;
      code = "headers_too_large";
      message = "The request headers are too large.";
    } else if (kind.contains("Line")) {
      status = 414;
      code = "uri_too_long";
      message = "The request line is too long.";
    } else {
      status = 400;
      code = "bad_request";
      message = "The request is malformed.";
    }
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").putHeader("Connection", "close")
        .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode())
        .onComplete(v -> request.connection().close());
  }

  /** The mounted router (tests walk it to check that every route is documented). */
  public Router router() {
    return router;
  }

  /**
   * The routes are the contract's operations (RouterBuilder); what every request goes through first
   * (request id, access log, limits, body) are routes of their own placed before them.
   */
  private Router buildRouter(ApiContract contract) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract.resolved());
    List<Handler<RoutingContext>> first = new ArrayList<>();
    ErrorMessages catalogue = messages;
    first.add(ctx -> {
      ctx.put(ErrorHandler.MESSAGES, catalogue);
      ctx.next();
    });
    first.add(new RequestId());
    first.add(TrustedProxies.parse(app.config().string("http.trusted-proxies")));
    first.add(new AccessLog());
    first.add(HttpEdgeVerticle::securityHeaders);
    first.add(InputGuard.PATHS);
    Cors.handler(app.config().string("http.cors-origins")).ifPresent(first::add);
    // Every client IP gets a request budget on the API; provider webhooks (few IPs, bursts) are exempt.
    RateLimit perIp = new RateLimit(app.config().integer("http.rate-limit-per-minute"), app.clock());
    first.add(ctx -> {
      String path = ctx.request().path();
      if (!path.startsWith("/v1/") || path.startsWith("/v1/webhooks/")) ctx.next();
      else perIp.handle(ctx);
    });
    // A request that has no answer in time (a stalled database, a domain that does not reply)
    // gets 503 instead of hanging the client.
    first.add(io.vertx.ext.web.handler.TimeoutHandler.create(app.config().integer("http.request-timeout-ms"), 503));
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(app.config().integer("http.body-limit")).setHandleFileUploads(false);
    BodyHandler batches = BodyHandler.create(false).setBodyLimit(app.config().integer("http.batch-body-limit")).setHandleFileUploads(false);
    first.add(ctx -> (BATCH_PATHS.contains(ctx.request().path()) ? batches : bodies).handle(ctx));
    first.add(InputGuard.BODIES);

    ApiRoutes routes = new ApiRoutes(builder, contract, new AccessTokens(vertx, app.config()), new IdempotencyKeys(pool),
        new sn.wolo.platform.security.AdminGate(vertx));
    mounted = apis.get();
    for (DomainApi api : mounted) {
      api.mount(routes, vertx, pool, app);
    }
    Future<JsonObject> document = Future.succeededFuture(contract.document());
    routes.add(HttpMethod.GET, "/openapi.json", "platform", "This OpenAPI 3.1 document", Endpoint.Security.PUBLIC,
        ctx -> ETags.reply(ctx, document, "public, max-age=300"));
    if (everyOperationMounted) routes.requireEveryOperationMounted();
    endpoints = routes.endpoints();

    Router router = builder.createRouter();
    for (int i = 0; i < first.size(); i++) {
      router.route().order(i - first.size() - 1).handler(first.get(i));   // before the operations (order 0…)
    }
    ErrorHandler errors = new ErrorHandler();
    router.route().failureHandler(errors);
    router.errorHandler(404, errors);
    router.errorHandler(405, ctx -> {
      ctx.put(ErrorHandler.ALLOW, allowed(ctx.request().path()));
      errors.handle(ctx);
    });
    router.errorHandler(413, errors);
    router.errorHandler(500, errors);
    return router;
  }

  private List<Endpoint> endpoints = List.of();
  private List<DomainApi> mounted = List.of();

  /** The methods some route answers on {@code path} (the {@code Allow} header of a 405). */
  private String allowed(String path) {
    java.util.Set<String> methods = new java.util.TreeSet<>();
    for (Endpoint e : endpoints) {
      if (path.matches(e.path().replaceAll(":[A-Za-z_]+", "[^/]+"))) methods.add(e.method().name());
    }
    return String.join(", ", methods);
  }
}
