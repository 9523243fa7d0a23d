package sn.wolo.platform.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.Domains;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP edge over real HTTP: error model, request ids, body limit, health, OpenAPI coverage. */
class HttpEdgeTest {

  /** The probe edges' contract: health, this document and the test routes (src/test/resources). */
  private static final String TEST_CONTRACT = "openapi/test-edge.yaml";
  private static TestApp app;
  private static WebClient client;
  /** A second edge, on its own port, with extra routes that fail in every way a handler can. */
  private static HttpEdgeVerticle probeEdge;
  private static WebClient probe;

  @BeforeAll
  static void start() throws Exception {
    app = TestApp.start(Map.of("http.body-limit", "1024"), java.time.Clock.systemUTC());
    client = app.client();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AppContext ctx = app.context().withConfig(app.context().config().with(Map.of("http.port", String.valueOf(port))));
    probeEdge = new HttpEdgeVerticle(ctx, () -> List.of(new HealthApi(Domains.names()), new FailingApi()), TEST_CONTRACT, false);
    Await.result(app.vertx().deployVerticle(probeEdge));
    probe = WebClient.create(app.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void liveAndReadyAnswerJson() {
    var live = Await.result(client.get("/health/live").send());
    assertEquals(200, live.statusCode());
    assertEquals("UP", live.bodyAsJsonObject().getString("status"));

    var ready = Await.result(client.get("/health/ready").send());
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    JsonObject checks = ready.bodyAsJsonObject().getJsonObject("checks");
    assertEquals("UP", checks.getJsonObject("database").getString("status"));
    for (String domain : Domains.names()) {
      assertEquals("UP", checks.getJsonObject(domain).getString("status"), domain);
    }
  }

  @Test
  void unknownRouteIsAJson404CarryingTheRequestId() {
    var r = Await.result(client.get("/v1/does-not-exist").send());
    assertEquals(404, r.statusCode());
    assertError(r, "not_found");
    assertEquals(r.getHeader(RequestId.HEADER), r.bodyAsJsonObject().getJsonObject("error").getString("request_id"));
  }

  @Test
  void wrongMethodIsAJson405() {
    var r = Await.result(client.delete("/health/live").send());
    assertEquals(405, r.statusCode());
    assertError(r, "method_not_allowed");
  }

  @Test
  void aSaneRequestIdIsEchoedAndAnInsaneOneReplaced() {
    var echoed = Await.result(client.get("/health/live").putHeader(RequestId.HEADER, "mobile-abc.123").send());
    assertEquals("mobile-abc.123", echoed.getHeader(RequestId.HEADER));

    var replaced = Await.result(client.get("/health/live").putHeader(RequestId.HEADER, "x".repeat(300)).send());
    String id = replaced.getHeader(RequestId.HEADER);
    assertNotEquals("x".repeat(300), id);
    assertNotNull(UUID.fromString(id));

    var generated = Await.result(client.get("/health/live").send());
    assertNotNull(UUID.fromString(generated.getHeader(RequestId.HEADER)));
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() {
    var r = Await.result(probe.post("/test/echo").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"a\":\"" + "x".repeat(4096) + "\"}")));
    assertEquals(413, r.statusCode());
    assertError(r, "payload_too_large");

    var small = Await.result(probe.post("/test/echo").sendJsonObject(new JsonObject().put("a", "b")));
    assertEquals(200, small.statusCode());
    assertEquals("b", small.bodyAsJsonObject().getString("a"));
  }

  @Test
  void malformedJsonIsA400WithoutEchoingTheBody() {
    var r = Await.result(probe.post("/test/echo").sendBuffer(Buffer.buffer("{\"secret\": 123456")));
    assertEquals(400, r.statusCode());
    assertError(r, "invalid_json");
    assertFalse(r.bodyAsString().contains("123456"));
  }

  @Test
  void everyKindOfFailureBecomesTheJsonErrorModel() {
    var api = Await.result(probe.get("/test/api-error").send());
    assertEquals(409, api.statusCode());
    assertError(api, "pot_already_live");

    var domain = Await.result(probe.get("/test/domain-failure").putHeader("Accept-Language", "en").send());
    assertEquals(404, domain.statusCode());
    assertError(domain, "pot_not_found");
    assertEquals("No such pot", domain.bodyAsJsonObject().getJsonObject("error").getString("message"));

    var nobody = Await.result(probe.get("/test/no-handler").send());
    assertEquals(503, nobody.statusCode());
    assertError(nobody, "service_unavailable");

    var bug = Await.result(probe.get("/test/bug").send());
    assertEquals(500, bug.statusCode());
    assertError(bug, "internal_error");
    assertFalse(bug.bodyAsString().contains("NullPointer"), "no exception details leak");
    assertFalse(bug.bodyAsString().contains("at sn.wolo"), "no stack trace leaks");
  }

  @Test
  void everyMountedRouteIsInTheOpenApiDocument() {
    var r = Await.result(client.get("/openapi.json").send());
    assertEquals(200, r.statusCode());
    JsonObject doc = r.bodyAsJsonObject();
    assertEquals("3.1.0", doc.getString("openapi"));
    JsonObject paths = doc.getJsonObject("paths");

    // Walk the real router of an edge (the probe carries the production routes plus the test ones).
    var probeDoc = Await.result(probe.get("/openapi.json").send()).bodyAsJsonObject().getJsonObject("paths");
    int checked = 0;
    for (Route route : probeEdge.router().getRoutes()) {
      if (route.getPath() == null || route.methods() == null) continue;   // global handlers
      for (HttpMethod m : route.methods()) {
        String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
        JsonObject item = probeDoc.getJsonObject(path);
        assertNotNull(item, "undocumented path " + path);
        assertTrue(item.containsKey(m.name().toLowerCase()), "undocumented " + m + " " + path);
        checked++;
      }
    }
    assertTrue(checked >= 3);
    assertTrue(paths.containsKey("/health/ready"));
    assertTrue(paths.containsKey("/openapi.json"));
  }

  @Test
  void undeployingTheEdgeLetsAnInFlightRequestFinishAndRefusesNewOnes() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AppContext ctx = app.context().withConfig(app.context().config().with(Map.of("http.port", String.valueOf(port))));
    var inFlight = new java.util.concurrent.CountDownLatch(1);
    DomainApi slow = (routes, vertx, pool, c) -> routes.add(HttpMethod.GET, "/test/slow", "test", "slow",
        Endpoint.Security.PUBLIC, rc -> {
          inFlight.countDown();
          vertx.setTimer(300, t -> JsonBodies.send(rc, 200, new JsonObject().put("done", true)));
        });
    String id = Await.result(app.vertx().deployVerticle(new HttpEdgeVerticle(ctx, () -> List.of(slow), TEST_CONTRACT, false)));
    WebClient c = WebClient.create(app.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));

    var pending = c.get("/test/slow").send();
    assertTrue(inFlight.await(10, java.util.concurrent.TimeUnit.SECONDS));
    var undeployed = app.vertx().undeploy(id);
    var response = Await.result(pending);
    assertEquals(200, response.statusCode(), "the in-flight request completed");
    assertEquals(true, response.bodyAsJsonObject().getBoolean("done"));
    Await.result(undeployed);
    WebClient fresh = WebClient.create(app.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    var refused = fresh.get("/test/slow").send().toCompletionStage().toCompletableFuture();
    org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
        () -> refused.get(10, java.util.concurrent.TimeUnit.SECONDS), "no longer accepting connections");
  }

  @Test
  void eachClientIpHasARequestBudgetAndResponsesCarrySecurityHeaders() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AppContext ctx = app.context().withConfig(app.context().config().with(Map.of("http.port", String.valueOf(port),
        "http.rate-limit-per-minute", "5")));
    DomainApi ping = (routes, vertx, pool, c) -> routes.add(HttpMethod.GET, "/v1/test/ping", "test", "ping", Endpoint.Security.PUBLIC,
        rc -> JsonBodies.send(rc, 200, new JsonObject().put("pong", true)));
    String id = Await.result(app.vertx().deployVerticle(new HttpEdgeVerticle(ctx, () -> List.of(ping), TEST_CONTRACT, false)));
    WebClient c = WebClient.create(app.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    try {
      for (int i = 0; i < 5; i++) {
        var ok = Await.result(c.get("/v1/test/ping").send());
        assertEquals(200, ok.statusCode());
        assertEquals("nosniff", ok.getHeader("X-Content-Type-Options"));
        assertEquals("no-store", ok.getHeader("Cache-Control"));
      }
      var limited = Await.result(c.get("/v1/test/ping").send());
      assertEquals(429, limited.statusCode());
      assertError(limited, "too_many_requests");
      assertNotNull(limited.getHeader("Retry-After"));
    } finally {
      Await.result(app.vertx().undeploy(id));
    }
  }

  private static void assertError(HttpResponse<Buffer> r, String code) {
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"), r.getHeader("Content-Type"));
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertNotNull(error, r.bodyAsString());
    assertEquals(code, error.getString("code"));
    assertNotNull(error.getString("message"));
  }

  /** Routes that exercise the error paths; mounted only on the probe edge. */
  private static final class FailingApi implements DomainApi {
    @Override
    public void mount(ApiRoutes routes, io.vertx.core.Vertx vertx, io.vertx.sqlclient.Pool pool, AppContext app) {
      routes.add(HttpMethod.POST, "/test/echo", "test", "echo", Endpoint.Security.PUBLIC,
          ctx -> JsonBodies.send(ctx, 200, JsonBodies.object(ctx)));
      routes.add(HttpMethod.GET, "/test/api-error", "test", "api error", Endpoint.Security.PUBLIC, ctx -> {
        throw DomainException.conflict("pot_already_live", "A live pot exists for this birthday");
      });
      routes.add(HttpMethod.GET, "/test/domain-failure", "test", "domain failure", Endpoint.Security.PUBLIC,
          ctx -> ctx.fail(new sn.wolo.platform.bus.DomainFailure(DomainException.notFound("pot_not_found", "No such pot"))));
      routes.add(HttpMethod.GET, "/test/no-handler", "test", "nobody listens", Endpoint.Security.PUBLIC,
          ctx -> vertx.eventBus().request("wolo.nobody.here", "x").onComplete(ar -> ctx.fail(ar.cause())));
      routes.add(HttpMethod.GET, "/test/bug", "test", "a bug", Endpoint.Security.PUBLIC, ctx -> {
        Future.succeededFuture();
        throw new NullPointerException("boom");
      });
    }
  }
}
