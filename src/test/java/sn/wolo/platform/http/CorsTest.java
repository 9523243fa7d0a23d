package sn.wolo.platform.http;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 16: only the configured web front-ends get CORS answers; preflights are answered. */
class CorsTest {

  @Test
  void onlyConfiguredOriginsMayCallFromABrowser() {
    try (TestApp app = TestApp.start(Map.of("http.cors-origins", "https://wolo.sn, https://admin.wolo.sn"), Clock.systemUTC())) {
      var preflight = Await.result(app.client().request(HttpMethod.OPTIONS, "/v1/pots").putHeader("Origin", "https://wolo.sn")
          .putHeader("Access-Control-Request-Method", "POST").putHeader("Access-Control-Request-Headers", "Authorization, Content-Type, Idempotency-Key").send());
      assertTrue(preflight.statusCode() / 100 == 2, "preflight answered: " + preflight.statusCode());
      assertEquals("https://wolo.sn", preflight.getHeader("Access-Control-Allow-Origin"));
      assertTrue(preflight.getHeader("Access-Control-Allow-Headers").toLowerCase().contains("idempotency-key"));
      var simple = Await.result(app.client().get("/v1/packs").putHeader("Origin", "https://admin.wolo.sn").send());
      assertEquals(200, simple.statusCode());
      assertEquals("https://admin.wolo.sn", simple.getHeader("Access-Control-Allow-Origin"));
      assertTrue(simple.getHeader("Access-Control-Expose-Headers").contains("ETag"));
      var foreign = Await.result(app.client().get("/v1/packs").putHeader("Origin", "https://evil.example").send());
      assertNull(foreign.getHeader("Access-Control-Allow-Origin"), "a foreign origin gets no CORS permission");
    }
  }
}
