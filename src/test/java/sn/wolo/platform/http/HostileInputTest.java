package sn.wolo.platform.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.TestApp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regressions of hostile input found from outside: dot segments that reached another route, NULs that made 500s, overflowing pages. */
class HostileInputTest {

  private static TestApp app;
  private static String token;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    token = app.accounts().otpLogin("+221770009911").getString("access_token");
    app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Awa Diop").put("date_of_birth", "1990-05-05"), token);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void dotSegmentsAndEncodedSlashesNeverReachAnotherRoute() {
    for (String path : List.of("/v1/me/addresses/..", "/v1/me/addresses/%2e%2e", "/v1/me/addresses/%2E%2E", "/v1/me/addresses/x/../..",
        "/v1/me/addresses/.", "/v1/me/addresses/x%2F..%2F..", "/v1/me/addresses/%00", "/v1/me/addresses/x%5c..")) {
      HttpResponse<Buffer> r = raw(HttpMethod.DELETE, path);
      assertEquals(400, r.statusCode(), path + " → " + r.bodyAsString());
      assertEquals("invalid_path", Http.errorCode(r), path);
    }
    assertEquals(200, app.http().get("/v1/me/profile", token).statusCode(), "the account was not erased");
  }

  @Test
  void aNulInABodyFieldOrAQueryIsA400NamingItNeverA500() {
    var profile = app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Awa\u0000Diop"), token);
    assertEquals(400, profile.statusCode(), profile.bodyAsString());
    assertEquals("invalid_character", Http.errorCode(profile));
    assertTrue(profile.bodyAsString().contains("full_name"), profile.bodyAsString());

    var nested = app.http().post("/v1/me/addresses", new JsonObject().put("label", "ok").put("lines", new JsonArray().add("a").add("b\u0001")), token);
    assertEquals(400, nested.statusCode(), nested.bodyAsString());
    assertTrue(nested.bodyAsString().contains("lines[1]"), nested.bodyAsString());

    var query = raw(HttpMethod.GET, "/v1/public/pots/" + UUID.randomUUID() + "?t=%00");
    assertEquals(400, query.statusCode());
    assertEquals("invalid_query", Http.errorCode(query));

    // Newlines and tabs in a message are text, not an attack.
    var ok = app.http().put("/v1/me/profile", new JsonObject().put("bio", "Ligne 1\nLigne 2\tfin"), token);
    assertTrue(ok.statusCode() < 500, ok.bodyAsString());
  }

  @Test
  void pageNumbersAreBoundedBeforeTheyReachSql() {
    String pot = UUID.randomUUID().toString();
    for (String limit : List.of("2147483647", "-1", "99999999999", "1e3", "0")) {
      var r = app.http().get("/v1/public/pots/" + pot + "?limit=" + limit, null);
      assertEquals(400, r.statusCode(), limit + " → " + r.bodyAsString());
      assertEquals("invalid_limit", Http.errorCode(r));
    }
    var cursor = app.http().get("/v1/public/pots/" + pot + "?cursor=" + "A".repeat(300), null);
    assertEquals(400, cursor.statusCode(), cursor.bodyAsString());
    assertEquals("invalid_cursor", Http.errorCode(cursor));
  }

  /** Issue 19: one poisoned analytics batch among concurrent innocent ones fails only itself. */
  @Test
  void aPoisonedAnalyticsBatchFailsOnlyItselfInAConcurrentBurst() {
    List<Future<HttpResponse<Buffer>>> innocent = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> poisoned = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      boolean poison = i % 6 == 0;
      JsonArray events = new JsonArray();
      for (int k = 0; k < 20; k++) {
        events.add(new JsonObject().put("event_name", "pot_viewed").put("event_category", "pot").put("anonymous_id", "anon-" + i)
            .put("properties", new JsonObject().put("screen", poison && k == 7 ? "ho\u0000me" : "home"))
            .put("timestamp", Instant.now().minusSeconds(5).toString()).put("platform", "android"));
      }
      var f = app.client().post("/v1/analytics/events").sendJsonObject(new JsonObject().put("events", events));
      (poison ? poisoned : innocent).add(f);
    }
    Await.result(Future.join(new ArrayList<>(innocent)));
    Await.result(Future.join(new ArrayList<>(poisoned)));
    innocent.forEach(f -> assertEquals(202, f.result().statusCode(), f.result().bodyAsString()));
    poisoned.forEach(f -> {
      assertEquals(400, f.result().statusCode());
      assertTrue(f.result().bodyAsString().contains("events[7].properties.screen"), f.result().bodyAsString());
    });
  }

  /** Issue 10, small defects: 405 says what is allowed, every 429 says when to retry, sessions show a plain IP. */
  @Test
  void refusalsSayWhatToDoAndSessionsShowAPlainAddress() {
    HttpResponse<Buffer> wrongMethod = raw(HttpMethod.PUT, "/v1/pots");
    assertEquals(405, wrongMethod.statusCode());
    assertTrue(wrongMethod.getHeader("Allow").contains("POST"), String.valueOf(wrongMethod.getHeader("Allow")));

    String phone = "+221770009922";
    assertEquals(202, app.http().post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null).statusCode());
    var again = app.http().post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null);
    assertEquals(429, again.statusCode());
    assertEquals("otp_cooldown", Http.errorCode(again));
    int retryAfter = Integer.parseInt(again.getHeader("Retry-After"));
    assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);

    var sessions = app.http().get("/v1/me/sessions", token).bodyAsJsonObject().getJsonArray("sessions");
    assertEquals("127.0.0.1", sessions.getJsonObject(0).getString("ip_address"));
  }

  /** Issue 19: refusals by the HTTP decoder and type errors use the error model too; security headers are set. */
  @Test
  void oversizedRequestsAndWrongTypesGetTheErrorModel() throws Exception {
    var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    var longUri = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + app.port() + "/v1/" + "a".repeat(9000))).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(414, longUri.statusCode());
    assertEquals("uri_too_long", new JsonObject(longUri.body()).getJsonObject("error").getString("code"));
    var bigHeader = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + app.port() + "/health/live"))
        .header("X-Big", "b".repeat(10_000)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(431, bigHeader.statusCode());
    assertEquals("headers_too_large", new JsonObject(bigHeader.body()).getJsonObject("error").getString("code"));

    var consent = app.http().put("/v1/me/consent", new JsonObject().put("marketing_consent", "yes"), token);
    assertEquals(400, consent.statusCode(), consent.bodyAsString());
    assertEquals("invalid_marketing_consent", Http.errorCode(consent));

    var headers = app.http().get("/health/live", null);
    assertTrue(headers.getHeader("Strict-Transport-Security").startsWith("max-age="));
    assertEquals("no-referrer", headers.getHeader("Referrer-Policy"));
  }

  /** Issue 19: ten concurrent "make this my default address" requests all succeed, one default remains. */
  @Test
  void concurrentDefaultAddressesNeverCollide() {
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(app.client().post("/v1/me/addresses").putHeader("Authorization", "Bearer " + token)
          .sendJsonObject(new JsonObject().put("type", "delivery").put("street_address", "Rue " + i).put("city", "Dakar")
              .put("country", "SEN").put("is_default", true)));
    }
    Await.result(Future.join(new ArrayList<>(calls)));
    calls.forEach(c -> assertEquals(201, c.result().statusCode(), c.result().bodyAsString()));
    var list = app.http().get("/v1/me/addresses", token).bodyAsJsonObject().getJsonArray("addresses");
    assertEquals(1, list.stream().map(JsonObject.class::cast).filter(a -> a.getBoolean("is_default")).count());
  }

  private static HttpResponse<Buffer> raw(HttpMethod method, String uri) {
    return Await.result(app.client().request(method, uri).putHeader("Authorization", "Bearer " + token).send());
  }
}
