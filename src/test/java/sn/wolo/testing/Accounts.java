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

  /** Every code sent to {@code phone} so far. */
  public java.util.Set<String> codes(String phone) {
    var r = http.get("/v1/dev/messages?recipient=" + URLEncoder.encode(phone, StandardCharsets.UTF_8), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    java.util.Set<String> out = new java.util.HashSet<>();
    r.bodyAsJsonObject().getJsonArray("messages").forEach(m -> {
      Matcher found = CODE.matcher(((JsonObject) m).getString("body"));
      if (found.find()) out.add(found.group(1));
    });
    return out;
  }

  /** The code sent after {@code before} was read (messages of one instant have no order under a stopped test clock). */
  public String newestCode(String phone, java.util.Set<String> before) {
    java.util.concurrent.atomic.AtomicReference<String> code = new java.util.concurrent.atomic.AtomicReference<>();
    Eventually.until("a new code for " + phone, () -> {
      codes(phone).stream().filter(c -> !before.contains(c)).findFirst().ifPresent(code::set);
      return code.get() != null;
    });
    return code.get();
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

  /** A phone account given the admin role in the database, signed in to the admin console: an admin session token. */
  public String admin(io.vertx.sqlclient.Pool sql, String phone) {
    return adminWithRoles(sql, phone, "admin");
  }

  /**
   * A phone account with {@code role} (admin, super_admin, partner) that opened an admin session with a
   * fresh code, as the console does. The sign-in code is aged two hours in the database first, as if
   * the admin had signed in earlier (the resend cooldown and hourly limits would otherwise refuse the second code).
   */
  public String adminWithRoles(io.vertx.sqlclient.Pool sql, String phone, String role) {
    String access = accessWithRole(sql, phone, role);
    ageCodes(sql, phone);
    java.util.Set<String> before = codes(phone);
    assertEquals(202, http.post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null).statusCode());
    var opened = http.post("/v1/admin/sessions", new JsonObject().put("code", newestCode(phone, before)), access);
    assertEquals(201, opened.statusCode(), opened.bodyAsString());
    return opened.bodyAsJsonObject().getString("admin_token");
  }

  private static void ageCodes(io.vertx.sqlclient.Pool sql, String phone) {
    Await.result(sql.preparedQuery("UPDATE identity.otp_codes SET created_at = created_at - interval '2 hours' WHERE phone = $1")
        .execute(io.vertx.sqlclient.Tuple.of(phone)));
  }

  /** A phone account given {@code role} in the database, then a refreshed access token that carries it (no admin session). */
  public String accessWithRole(io.vertx.sqlclient.Pool sql, String phone, String role) {
    ageCodes(sql, phone);   // the same phone may sign in again (a console session reopened)
    JsonObject login = otpLogin(phone);
    Await.result(sql.preparedQuery("UPDATE identity.users SET roles = ARRAY['user', $2] WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(java.util.UUID.fromString(login.getString("user_id")), role)));
    var refreshed = http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", login.getString("refresh_token")), null);
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    return refreshed.bodyAsJsonObject().getString("access_token");
  }
}
