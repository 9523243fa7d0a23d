package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.TestApp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 19: no SMS toll fraud through OTP, and the per-IP hourly limit holds under concurrency. */
class OtpAbuseTest {

  private static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("auth.rate-limit-per-minute", "1000"), java.time.Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void premiumRateSatelliteFixedAndForeignNumbersGetNoCode() {
    for (String phone : List.of("+449098790000", "+33899123456", "+881612345678", "+221338210000", "+33612345678")) {
      var r = app.http().post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null);
      assertEquals(400, r.statusCode(), phone + " → " + r.bodyAsString());
      assertEquals("unsupported_phone_number", Http.errorCode(r), phone);
    }
    long stored = Await.result(app.sql().query("SELECT count(*) FROM notifications.notifications WHERE recipient_identifier NOT LIKE '+221770%'"
        + " AND recipient_identifier NOT LIKE '+22177%'").execute()).iterator().next().getLong(0);
    assertEquals(0, stored, "no SMS queued");
  }

  @Test
  void fortyConcurrentRequestsFromOneAddressGetExactlyTheTwentyAllowed() {
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(app.client().post("/v1/auth/otp/request")
          .sendJsonObject(new JsonObject().put("phone", String.format("+22177%07d", 5_000_000 + i))));
    }
    Await.result(Future.join(new ArrayList<>(calls)));
    long accepted = calls.stream().filter(c -> c.result().statusCode() == 202).count();
    long limited = calls.stream().filter(c -> c.result().statusCode() == 429).count();
    assertEquals(20, accepted, "the hourly limit per IP is 20");
    assertEquals(20, limited);
    long codes = Await.result(app.sql().query("SELECT count(*) FROM identity.otp_codes").execute()).iterator().next().getLong(0);
    assertEquals(20, codes);
  }
}
