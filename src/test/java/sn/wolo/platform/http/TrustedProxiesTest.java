package sn.wolo.platform.http;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** X-Forwarded-For is believed only from configured proxies, and only its right-most untrusted hop. */
class TrustedProxiesTest {

  @Test
  void theClientIsTheRightMostUntrustedHopBehindATrustedPeerOnly() {
    TrustedProxies proxies = TrustedProxies.parse("127.0.0.1/32, 10.0.0.0/8, fd00::/8");
    assertEquals("41.82.10.5", proxies.client("127.0.0.1", "41.82.10.5"));
    assertEquals("41.82.10.5", proxies.client("127.0.0.1", "1.2.3.4, 41.82.10.5"), "the left part is what the client wrote: spoofable");
    assertEquals("41.82.10.5", proxies.client("10.1.2.3", "41.82.10.5, 10.9.9.9"), "proxy hops are skipped");
    assertEquals("8.8.8.8", proxies.client("8.8.8.8", "41.82.10.5"), "an untrusted peer's header is ignored");
    assertEquals("127.0.0.1", proxies.client("127.0.0.1", "not-an-ip"), "garbage: no guess");
    assertEquals("127.0.0.1", proxies.client("127.0.0.1", "evil.example.com"), "names are never resolved");
    assertEquals("127.0.0.1", TrustedProxies.parse("").client("127.0.0.1", "41.82.10.5"), "no proxy configured");
    var bad = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/99"));
    assertTrue(bad.getMessage().contains("WOLO_HTTP_TRUSTED_PROXIES"));
  }

  @Test
  void behindATrustedIngressSessionsAndLimitsSeeTheRealClient() {
    try (TestApp app = TestApp.start(Map.of("http.trusted-proxies", "127.0.0.1/32"), java.time.Clock.systemUTC())) {
      String phone = "+221770654001";
      var requested = Await.result(app.client().post("/v1/auth/otp/request").putHeader("X-Forwarded-For", "41.82.10.5")
          .sendJsonObject(new JsonObject().put("phone", phone)));
      assertEquals(202, requested.statusCode());
      Matcher code = Pattern.compile("\\b(\\d{6})\\b").matcher(app.accounts().latestMessage(phone));
      assertTrue(code.find());
      var verified = Await.result(app.client().post("/v1/auth/otp/verify").putHeader("X-Forwarded-For", "1.2.3.4, 41.82.10.5")
          .sendJsonObject(new JsonObject().put("phone", phone).put("code", code.group(1))));
      assertEquals(200, verified.statusCode(), verified.bodyAsString());
      String token = verified.bodyAsJsonObject().getString("access_token");
      var sessions = app.http().get("/v1/me/sessions", token).bodyAsJsonObject().getJsonArray("sessions");
      assertEquals("41.82.10.5", sessions.getJsonObject(0).getString("ip_address"));
      long fromClientIp = Await.result(app.sql().query("SELECT count(*) FROM identity.otp_codes WHERE request_ip = '41.82.10.5'").execute())
          .iterator().next().getLong(0);
      assertEquals(1, fromClientIp, "the OTP per-IP limit counts the real client");
    }
  }
}
