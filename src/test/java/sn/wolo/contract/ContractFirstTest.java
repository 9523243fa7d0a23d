package sn.wolo.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.http.DomainApi;
import sn.wolo.platform.http.Endpoint;
import sn.wolo.platform.http.HealthApi;
import sn.wolo.platform.http.HttpEdgeVerticle;
import sn.wolo.platform.http.JsonBodies;
import sn.wolo.platform.security.Authn;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.TestApp;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: the routes are the contract. An edge will not start with a route the contract does not
 * describe, an operation no route serves, or a protected route without its guard; requests are
 * checked against the contract (types, formats, unknown fields, media type, query parameters) before
 * any handler runs, and refused with every invalid field named.
 */
class ContractFirstTest {

  private static final String TEST_CONTRACT = "openapi/test-edge.yaml";
  private static TestApp app;
  private static Http http;
  private static String token;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    http = app.http();
    token = app.accounts().otpLogin("+221771230001").getString("access_token");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aRouteTheContractDoesNotDescribeCannotBeMounted() {
    DomainApi undocumented = (routes, vertx, pool, c) -> routes.add(HttpMethod.GET, "/test/undocumented", "test", "not in the contract",
        Endpoint.Security.PUBLIC, ctx -> JsonBodies.send(ctx, 200, new JsonObject()));
    Throwable refused = deployFails(List.of(new HealthApi(List.of()), undocumented), false);
    assertTrue(refused.getMessage().contains("GET /test/undocumented is not in " + TEST_CONTRACT), refused.getMessage());
  }

  @Test
  void anOperationNoRouteServesStopsTheEdgeFromStarting() {
    Throwable refused = deployFails(List.of(new HealthApi(List.of())), true);
    assertTrue(refused.getMessage().contains("describes operations no route serves"), refused.getMessage());
    assertTrue(refused.getMessage().contains("GET /test/bug"), refused.getMessage());
  }

  @Test
  void aProtectedRouteMustStartWithItsGuard() {
    DomainApi unguarded = (routes, vertx, pool, c) -> routes.add(HttpMethod.GET, "/test/slow", "test", "bearer without a guard",
        Endpoint.Security.BEARER, ctx -> JsonBodies.send(ctx, 200, new JsonObject()));
    Throwable refused = deployFails(List.of(unguarded), false);
    assertTrue(refused.getMessage().contains("its first handler must be an Authn guard"), refused.getMessage());
    DomainApi guarded = (routes, vertx, pool, c) -> routes.add(HttpMethod.GET, "/test/slow", "test", "bearer with its guard",
        Endpoint.Security.BEARER, Authn.required(vertx, routes.tokens())).handler(ctx -> JsonBodies.send(ctx, 200, new JsonObject()));
    String id = Await.result(app.vertx().deployVerticle(edge(List.of(guarded), false)));
    Await.result(app.vertx().undeploy(id));
  }

  @Test
  void everyInvalidFieldIsNamedBeforeAnyHandlerRuns() {
    var r = http.post("/v1/pots", new JsonObject().put("titel", "Anniversaire").put("target_amount_cfa", "50000")
        .put("visibility", "everyone").put("enable_messages", "yes"), token);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("validation_failed", error.getString("code"));
    Map<String, String> codes = new java.util.TreeMap<>();
    error.getJsonArray("fields").forEach(f -> codes.put(((JsonObject) f).getString("path"), ((JsonObject) f).getString("code")));
    assertEquals(Map.of("titel", "unknown_field", "title", "invalid_title", "target_amount_cfa", "invalid_target_amount_cfa",
        "visibility", "invalid_visibility", "enable_messages", "invalid_enable_messages"), codes);
    assertEquals(0L, Await.result(app.sql().query("SELECT count(*) FROM pots.pots").execute()).iterator().next().getLong(0),
        "nothing was created");
  }

  @Test
  void formatsQueryParametersAndMediaTypesAreCheckedToo() {
    var badUuid = http.put("/v1/pots/" + java.util.UUID.randomUUID() + "/gift", new JsonObject().put("pack_id", "not-a-uuid"), token);
    assertEquals(400, badUuid.statusCode(), badUuid.bodyAsString());
    assertEquals("invalid_pack_id", Http.errorCode(badUuid));

    var badLimit = http.get("/v1/me/pots?limit=many", token);
    assertEquals(400, badLimit.statusCode(), badLimit.bodyAsString());
    assertEquals("invalid_limit", Http.errorCode(badLimit));
    var tooMany = http.get("/v1/me/pots?limit=1000", token);
    assertEquals("invalid_limit", Http.errorCode(tooMany));

    var text = Await.result(app.client().post("/v1/pots").putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("title=Anniversaire")));
    assertEquals(415, text.statusCode(), text.bodyAsString());
    assertEquals("unsupported_media_type", Http.errorCode(text));
  }

  @Test
  void anAnonymousCallerIsRefusedBeforeTheContractIsConsulted() {
    var r = http.post("/v1/pots", new JsonObject().put("no", "such field"), null);
    assertEquals(401, r.statusCode(), "who may call comes first: " + r.bodyAsString());
  }

  @Test
  void theDocumentServedIsTheContractAndTheReferencePageNeedsNoOtherOrigin() {
    var doc = http.get("/openapi.json", null);
    assertEquals(200, doc.statusCode());
    assertNotNull(doc.getHeader("ETag"));
    assertEquals(sn.wolo.platform.http.ApiContract.readDocument(), doc.bodyAsJsonObject());
    var again = Await.result(app.client().get("/openapi.json").putHeader("If-None-Match", doc.getHeader("ETag")).send());
    assertEquals(304, again.statusCode());

    var page = http.get("/docs", null);
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("/docs/swagger-ui-bundle.js"), page.bodyAsString());
    assertTrue(!page.bodyAsString().contains("https://"), "no third-party origin");
    var bundle = http.get("/docs/swagger-ui-bundle.js", null);
    assertEquals(200, bundle.statusCode());
    assertTrue(bundle.getHeader("Content-Type").startsWith("text/javascript"));
    assertTrue(bundle.body().length() > 100_000);
    var traversal = http.get("/docs/..%2Fopenapi%2Fwolo.yaml", null);
    assertTrue(traversal.statusCode() == 400 || traversal.statusCode() == 404, traversal.statusCode() + " " + traversal.bodyAsString());
    assertTrue(!traversal.bodyAsString().contains("openapi:"));
    assertEquals(404, http.get("/docs/swagger-ui-es-bundle.js", null).statusCode());
  }

  private static Throwable deployFails(List<DomainApi> apis, boolean everyOperationMounted) {
    return assertThrows(Throwable.class, () -> Await.result(app.vertx().deployVerticle(edge(apis, everyOperationMounted))));
  }

  private static HttpEdgeVerticle edge(List<DomainApi> apis, boolean everyOperationMounted) {
    AppContext ctx = app.context().withConfig(app.context().config().with(Map.of("http.port", String.valueOf(TestApp.freePort()))));
    return new HttpEdgeVerticle(ctx, () -> apis, TEST_CONTRACT, everyOperationMounted);
  }
}
