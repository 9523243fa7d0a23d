package sn.wolo.testing;

import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sign-up flows as a mobile app drives them, reading codes from the dev sandbox like a newcomer would. */
public final class Accounts {

  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
  private final Http http;

  public Accounts(Http http) {
    this.http = http;
  }

  /** Phone login: request a code, read it from the sandbox, verify it. Returns the token response. */
  public JsonObject otpLogin(String phone) {
    var requested = http.post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null);
    assertEquals(202, requested.statusCode(), requested.bodyAsString());
    var verified = http.post("/v1/auth/otp/verify", new JsonObject().put("phone", phone).put("code", latestCode(phone)), null);
    assertEquals(200, verified.statusCode(), verified.bodyAsString());
    return verified.bodyAsJsonObject();
  }

  public String latestCode(String phone) {
    Matcher m = CODE.matcher(latestMessage(phone));
    assertTrue(m.find(), "no code in the message");
    return m.group(1);
  }

  public String latestMessage(String recipient) {
    var r = http.get("/v1/dev/messages?recipient=" + URLEncoder.encode(recipient, StandardCharsets.UTF_8), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    var messages = r.bodyAsJsonObject().getJsonArray("messages");
    assertTrue(!messages.isEmpty(), "no message to " + recipient);
    return messages.getJsonObject(0).getString("body");
  }

  public JsonObject register(String email, String password, String fullName, String dob) {
    var r = http.post("/v1/auth/register", new JsonObject().put("email", email).put("password", password)
        .put("full_name", fullName).put("date_of_birth", dob), null);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** A phone account given the admin role in the database, then a refreshed token that carries it. */
  public String admin(io.vertx.sqlclient.Pool sql, String phone) {
    JsonObject login = otpLogin(phone);
    Await.result(sql.preparedQuery("UPDATE identity.users SET roles = ARRAY['user','admin'] WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(java.util.UUID.fromString(login.getString("user_id")))));
    var refreshed = http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", login.getString("refresh_token")), null);
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    return refreshed.bodyAsJsonObject().getString("access_token");
  }
}
