package sn.wolo.fuzz;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.TestApp;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation of the route registry (from {@code /openapi.json}): a plain user gets 403 on every
 * admin route and nobody without a token gets past a bearer route; user B, calling every bearer
 * route with user A's ids in its path, gets 403/404 and never A's data.
 */
class AuthorizationSweepTest {

  private static TestApp app;
  private static String userA;
  private static String userB;
  private static String potA;
  private static String addressA;
  private static final String SECRET_TITLE = "Titre-secret-de-A";
  private static final String SECRET_STREET = "Rue-secrete-de-A";

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("http.rate-limit-per-minute", "1000000"), java.time.Clock.systemUTC());
    userA = app.accounts().otpLogin("+221770456001").getString("access_token");
    userB = app.accounts().otpLogin("+221770456002").getString("access_token");
    String dob = LocalDate.now(ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1990).toString();
    app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Awa Secrete").put("date_of_birth", dob).put("is_profile_public", false), userA);
    app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Bob").put("date_of_birth", "1991-01-01"), userB);
    potA = app.http().post("/v1/pots", new JsonObject().put("title", SECRET_TITLE).put("target_amount_cfa", 10_000).put("visibility", "private"),
        userA).bodyAsJsonObject().getString("id");
    addressA = app.http().post("/v1/me/addresses", new JsonObject().put("type", "delivery").put("street_address", SECRET_STREET)
        .put("city", "Dakar").put("country", "SEN"), userA).bodyAsJsonObject().getString("id");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void plainUsersAndAnonymousCallersAreRefusedOnEveryAdminAndBearerRoute() {
    JsonObject paths = app.http().get("/openapi.json", null).bodyAsJsonObject().getJsonObject("paths");
    List<String> failures = new ArrayList<>();
    int admin = 0;
    for (String template : paths.fieldNames()) {
      for (String method : paths.getJsonObject(template).fieldNames()) {
        JsonObject op = paths.getJsonObject(template).getJsonObject(method);
        boolean bearer = requiresToken(op);
        String path = template.replaceAll("\\{[^}]+}", potA);
        if (template.startsWith("/v1/admin/")) {
          admin++;
          int asUser = call(method, path, userB).statusCode();
          if (asUser != 403) failures.add(method + " " + template + " as a plain user → " + asUser);
        }
        if (bearer) {
          int anonymous = call(method, path, null).statusCode();
          if (anonymous != 401) failures.add(method + " " + template + " without a token → " + anonymous);
        }
      }
    }
    assertTrue(admin >= 8, "admin routes swept: " + admin);
    assertEquals(List.of(), failures);
  }

  @Test
  void userBWithUserAsIdsInEveryPathGetsNeitherAccessNorData() {
    JsonObject paths = app.http().get("/openapi.json", null).bodyAsJsonObject().getJsonObject("paths");
    List<String> failures = new ArrayList<>();
    int swept = 0;
    for (String template : paths.fieldNames()) {
      if (!template.contains("{") || template.startsWith("/v1/admin/") || template.startsWith("/v1/public/")) continue;
      for (String method : paths.getJsonObject(template).fieldNames()) {
        JsonObject op = paths.getJsonObject(template).getJsonObject(method);
        if (!requiresToken(op) || !op.getJsonArray("security").encode().contains("bearerAuth")) continue;
        String id = template.startsWith("/v1/me/addresses") ? addressA : potA;
        String path = template.replaceAll("\\{[^}]+}", id);
        HttpResponse<Buffer> r = call(method, path, userB);
        swept++;
        String body = r.bodyAsString() == null ? "" : r.bodyAsString();
        if (r.statusCode() < 400 && !body.isEmpty() && !path.contains("/guardian-requests/")) {
          failures.add(method + " " + template + " → " + r.statusCode() + " for another user's id");
        }
        if (body.contains(SECRET_TITLE) || body.contains(SECRET_STREET) || body.contains("Awa Secrete")) {
          failures.add(method + " " + template + " leaked A's data");
        }
      }
    }
    assertTrue(swept >= 5, "operations with ids swept: " + swept);
    assertEquals(List.of(), failures);
    // A's objects are intact.
    assertEquals(SECRET_TITLE, app.http().get("/v1/pots/" + potA, userA).bodyAsJsonObject().getString("title"));
    assertTrue(app.http().get("/v1/me/addresses", userA).bodyAsString().contains(SECRET_STREET));
  }

  private static HttpResponse<Buffer> call(String method, String path, String token) {
    var req = app.client().request(HttpMethod.valueOf(method.toUpperCase()), path).putHeader("Content-Type", "application/json");
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    return Await.result(req.sendBuffer(Buffer.buffer("{\"title\":\"pwned\",\"target_amount_cfa\":5000,\"street_address\":\"x\",\"city\":\"y\","
        + "\"country\":\"SEN\",\"type\":\"delivery\",\"method\":\"sms\",\"recipient\":\"77 000 00 01\",\"reason\":\"admin_action\"}")), 30);
  }

  /** Whether the operation's {@code security} demands credentials: some requirement, and none of them empty ({@code {}} = optional). */
  private static boolean requiresToken(JsonObject op) {
    var security = op.getJsonArray("security", new io.vertx.core.json.JsonArray());
    return !security.isEmpty() && security.stream().noneMatch(r -> ((JsonObject) r).isEmpty());
  }
}
