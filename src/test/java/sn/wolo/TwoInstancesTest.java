package sn.wolo;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.ChildServer;
import sn.wolo.testing.TestDatabases;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two server processes on one database: a logout on one is refused on the other within a second. */
class TwoInstancesTest {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aLogoutOnOneInstanceIsRefusedOnTheOtherWithinASecond() throws Exception {
    String db = TestDatabases.migrated().url();
    try (ChildServer a = ChildServer.spawn("instance-a", Map.of("WOLO_DB_URL", db)).awaitReady(Duration.ofSeconds(90));
         ChildServer b = ChildServer.spawn("instance-b", Map.of("WOLO_DB_URL", db)).awaitReady(Duration.ofSeconds(90))) {
      String phone = "+221770321001";
      assertEquals(202, send(a.port(), "POST", "/v1/auth/otp/request", new JsonObject().put("phone", phone), null).statusCode());
      String messages = send(a.port(), "GET", "/v1/dev/messages?recipient=" + URLEncoder.encode(phone, StandardCharsets.UTF_8), null, null).body();
      Matcher m = Pattern.compile("\\b(\\d{6})\\b").matcher(new JsonObject(messages).getJsonArray("messages").getJsonObject(0).getString("body"));
      assertTrue(m.find());
      JsonObject login = new JsonObject(send(a.port(), "POST", "/v1/auth/otp/verify", new JsonObject().put("phone", phone).put("code", m.group(1)), null).body());
      String token = login.getString("access_token");
      assertEquals(200, send(a.port(), "GET", "/v1/me/sessions", null, token).statusCode());
      assertEquals(200, send(b.port(), "GET", "/v1/me/sessions", null, token).statusCode(), "one token, both instances");

      assertEquals(204, send(b.port(), "POST", "/v1/auth/logout", new JsonObject(), token).statusCode(), "logout on B");
      long loggedOut = System.nanoTime();
      while (send(a.port(), "GET", "/v1/me/sessions", null, token).statusCode() != 401) {
        assertTrue(System.nanoTime() - loggedOut < Duration.ofSeconds(1).toNanos(), "instance A still accepted the token after 1 s");
        Thread.onSpinWait();
      }
    }
  }

  private HttpResponse<String> send(int port, String method, String path, JsonObject body, String token) throws Exception {
    var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    if (token != null) builder.header("Authorization", "Bearer " + token);
    if (body != null) builder.header("Content-Type", "application/json");
    builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
