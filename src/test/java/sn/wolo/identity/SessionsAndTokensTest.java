package sn.wolo.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.bus.Bus;
import sn.wolo.testing.Accounts;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.Jwts;
import sn.wolo.testing.TestApp;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sn.wolo.testing.Http.errorCode;

/** Refresh rotation, reuse detection, logout, forged tokens, suspension. */
class SessionsAndTokensTest {

  private static TestApp app;
  private static Http http;
  private static Accounts accounts;
  private static int emails;

  @BeforeAll
  static void start() {
    app = TestApp.start(java.util.Map.of("auth.rate-limit-per-minute", "1000"), java.time.Clock.systemUTC());
    http = app.http();
    accounts = app.accounts();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static JsonObject newAccount() {
    String email = "session" + (++emails) + "@example.sn";
    accounts.register(email, "Teranga-2026!", "Fatou Sow", "1992-02-29");
    var login = http.post("/v1/auth/login", new JsonObject().put("email", email).put("password", "Teranga-2026!"), null);
    assertEquals(200, login.statusCode());
    return login.bodyAsJsonObject().put("email", email);
  }

  private static int refresh(String token) {
    return http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", token), null).statusCode();
  }

  @Test
  void refreshRotatesAndReusingARotatedTokenRevokesTheWholeSession() {
    JsonObject login = newAccount();
    String r1 = login.getString("refresh_token");
    var second = http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", r1), null);
    assertEquals(200, second.statusCode(), second.bodyAsString());
    String r2 = second.bodyAsJsonObject().getString("refresh_token");
    String access2 = second.bodyAsJsonObject().getString("access_token");
    assertNotEquals(r1, r2);
    assertEquals(login.getString("session_id"), second.bodyAsJsonObject().getString("session_id"), "same session, new token");

    var third = http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", r2), null);
    assertEquals(200, third.statusCode());
    String r3 = third.bodyAsJsonObject().getString("refresh_token");

    var reuse = http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", r1), null);
    assertEquals(401, reuse.statusCode());
    assertEquals("refresh_token_reused", errorCode(reuse));
    assertEquals(401, refresh(r3), "the newest token of the chain died with the session");
    var me = http.get("/v1/me/sessions", access2);
    assertEquals(401, me.statusCode(), "access tokens of the session stop working at once");
    assertEquals("session_revoked", errorCode(me));
  }

  @Test
  void refreshTokensAreStoredOnlyAsHashes() {
    JsonObject login = newAccount();
    long plain = Await.result(app.sql().preparedQuery("SELECT count(*) FROM identity.user_sessions WHERE token_hash = $1")
        .execute(Tuple.of(login.getString("refresh_token")))).iterator().next().getLong(0);
    assertEquals(0, plain);
  }

  @Test
  void logoutAllSignsEverySessionOut() {
    JsonObject first = newAccount();
    var second = http.post("/v1/auth/login", new JsonObject().put("email", first.getString("email")).put("password", "Teranga-2026!"), null)
        .bodyAsJsonObject();
    JsonArray sessions = http.get("/v1/me/sessions", second.getString("access_token")).bodyAsJsonObject().getJsonArray("sessions");
    assertEquals(3, sessions.size(), "register, login, login");

    var out = http.post("/v1/auth/logout-all", new JsonObject(), second.getString("access_token"));
    assertEquals(200, out.statusCode());
    assertEquals(3, out.bodyAsJsonObject().getInteger("revoked_sessions"));
    assertEquals(401, http.get("/v1/me/sessions", first.getString("access_token")).statusCode());
    assertEquals(401, http.get("/v1/me/sessions", second.getString("access_token")).statusCode());
    assertEquals(401, refresh(first.getString("refresh_token")));
    assertEquals(401, refresh(second.getString("refresh_token")));
  }

  @Test
  void logoutEndsOnlyThisSession() {
    JsonObject a = newAccount();
    var b = http.post("/v1/auth/login", new JsonObject().put("email", a.getString("email")).put("password", "Teranga-2026!"), null)
        .bodyAsJsonObject();
    assertEquals(204, http.post("/v1/auth/logout", new JsonObject(), a.getString("access_token")).statusCode());
    assertEquals(401, http.get("/v1/me/sessions", a.getString("access_token")).statusCode());
    assertEquals(200, http.get("/v1/me/sessions", b.getString("access_token")).statusCode());
  }

  @Test
  void forgedTamperedAndExpiredTokensAreRejected() throws Exception {
    JsonObject login = newAccount();
    String good = login.getString("access_token");
    assertEquals(200, http.get("/v1/me/sessions", good).statusCode());
    JsonObject claims = Jwts.claims(good);
    String kid = app.context().config().string("jwt.key-id");
    PrivateKey ours = Jwts.fromPem(app.context().config().string("jwt.private-key"));
    JsonObject header = new JsonObject().put("alg", "ES256").put("typ", "JWT").put("kid", kid);

    assertEquals(200, http.get("/v1/me/sessions", Jwts.es256(header, claims, ours)).statusCode(), "control: our own signature works");
    String none = Jwts.unsigned(claims);
    String wrongKey = Jwts.es256(header, claims, Jwts.randomEcKey());
    String[] parts = good.split("\\.");
    String otherSub = claims.copy().put("sub", UUID.randomUUID().toString()).encode();
    String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(otherSub.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
    long past = Instant.now().minusSeconds(3600).getEpochSecond();
    String expired = Jwts.es256(header, claims.copy().put("iat", past - 900).put("exp", past), ours);
    String noExp = Jwts.es256(header, claims.copy().put("exp", (Object) null), ours);

    // Issue 19: a valid token with characters appended decodes to the same bytes under a lenient parser.
    for (String suffix : new String[] {"A", "x", "==", ".", "AA", "%3D"}) {
      var r = http.get("/v1/me/sessions", good + suffix);
      assertEquals(401, r.statusCode(), "appended " + suffix);
    }
    for (String bad : new String[] {none, wrongKey, tampered, expired, "not.a.jwt", noExp}) {
      var r = http.get("/v1/me/sessions", bad);
      assertEquals(401, r.statusCode(), bad);
      assertTrue(errorCode(r).equals("invalid_token"), r.bodyAsString());
    }
    assertEquals(401, http.get("/v1/me/sessions", null).statusCode(), "no token at all");
  }

  @Test
  void suspendedUsersCanNeitherLogInNorRefresh() {
    JsonObject login = newAccount();
    Await.result(app.sql().preparedQuery("UPDATE identity.users SET is_active = false WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(login.getString("user_id")))));
    var again = http.post("/v1/auth/login", new JsonObject().put("email", login.getString("email")).put("password", "Teranga-2026!"), null);
    assertEquals(403, again.statusCode());
    assertEquals("account_suspended", errorCode(again));
    var r = http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", login.getString("refresh_token")), null);
    assertEquals(403, r.statusCode());
  }

  @Test
  void internalServicesValidateTokensAndRolesOverTheBus() {
    JsonObject login = newAccount();
    JsonObject v = Await.result(Bus.call(app.vertx(), IdentityVerticle.address("validate-token"),
        new JsonObject().put("token", login.getString("access_token"))));
    assertEquals(login.getString("user_id"), v.getString("user_id"));
    assertEquals(new JsonArray().add("user"), v.getJsonArray("roles"));
    JsonObject roles = Await.result(Bus.call(app.vertx(), IdentityVerticle.address("check-roles"),
        new JsonObject().put("user_id", login.getString("user_id")).put("roles", new JsonArray().add("admin"))));
    assertEquals(false, roles.getBoolean("allowed"));
    var bad = Bus.call(app.vertx(), IdentityVerticle.address("validate-token"), new JsonObject().put("token", "x.y.z"));
    var e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> Await.result(bad));
    assertEquals("invalid_token", sn.wolo.platform.bus.DomainFailure.of(e).orElseThrow(() -> new AssertionError(e)).code());
  }

  /** A console user: account id, access token, and the admin session token opened with the password (step-up). */
  private record Admin(String userId, String access, String console) {
  }

  /** A user with {@code roles}, given in the database, a fresh token that carries them, and an admin session. */
  private static Admin withRoles(String... roles) {
    JsonObject login = newAccount();
    Await.result(app.sql().preparedQuery("UPDATE identity.users SET roles = $2 WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(login.getString("user_id")), (Object) roles)));
    var refreshed = http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", login.getString("refresh_token")), null);
    assertEquals(200, refreshed.statusCode());
    String access = refreshed.bodyAsJsonObject().getString("access_token");
    var opened = http.post("/v1/admin/sessions", new JsonObject().put("password", "Teranga-2026!"), access);
    assertEquals(201, opened.statusCode(), opened.bodyAsString());
    return new Admin(login.getString("user_id"), access, opened.bodyAsJsonObject().getString("admin_token"));
  }

  /** Issue 19: a suspended or demoted user loses access at once, not when the token expires; both are audited. */
  @Test
  void suspensionAndDemotionEndAccessAtOnce() {
    String admin = withRoles("user", "admin").console();
    JsonObject victim = newAccount();
    String victimToken = victim.getString("access_token");
    assertEquals(200, http.get("/v1/me/sessions", victimToken).statusCode());

    assertEquals(403, http.post("/v1/admin/users/" + victim.getString("user_id") + "/suspend", new JsonObject(), victimToken).statusCode(),
        "not for plain users");
    var suspended = http.post("/v1/admin/users/" + victim.getString("user_id") + "/suspend", new JsonObject().put("reason", "fraude"), admin);
    assertEquals(200, suspended.statusCode(), suspended.bodyAsString());
    assertEquals(401, http.get("/v1/me/sessions", victimToken).statusCode(), "the access token stopped working at once");
    int refreshed = refresh(victim.getString("refresh_token"));
    assertTrue(refreshed == 401 || refreshed == 403, "the session is gone: " + refreshed);
    assertEquals(200, http.post("/v1/admin/users/" + victim.getString("user_id") + "/reactivate", new JsonObject(), admin).statusCode());
    assertEquals(200, http.post("/v1/auth/login", new JsonObject().put("email", victim.getString("email")).put("password", "Teranga-2026!"), null)
        .statusCode());

    // Demotion: an admin whose role is removed loses the admin routes at once.
    Admin superAdmin = withRoles("user", "super_admin");
    Admin otherAdmin = withRoles("user", "admin");
    assertEquals(200, http.get("/v1/admin/audit-logs", otherAdmin.console()).statusCode());
    assertEquals(403, http.put("/v1/admin/users/" + otherAdmin.userId() + "/roles", new JsonObject().put("roles", new JsonArray().add("user")), admin)
        .statusCode(), "roles are for super_admins");
    var demoted = http.put("/v1/admin/users/" + otherAdmin.userId() + "/roles", new JsonObject().put("roles", new JsonArray().add("user")),
        superAdmin.console());
    assertEquals(200, demoted.statusCode(), demoted.bodyAsString());
    assertEquals(401, http.get("/v1/admin/audit-logs", otherAdmin.console()).statusCode(), "the demoted admin's console session no longer works");
    assertEquals(401, http.get("/v1/me", otherAdmin.access()).statusCode(), "nor its access token");

    var last = http.put("/v1/admin/users/" + superAdmin.userId() + "/roles", new JsonObject().put("roles", new JsonArray().add("user")),
        superAdmin.console());
    assertEquals(409, last.statusCode());
    assertEquals("last_super_admin", errorCode(last));

    // Audited in the transaction of the change: present as soon as the answer is.
    var trail = http.get("/v1/admin/audit-logs?resource_type=user&resource_id=" + victim.getString("user_id"), admin).bodyAsJsonObject()
        .getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    assertEquals(java.util.List.of("user.reactivated", "user.suspended"), trail.stream().map(a -> a.getString("action")).toList());
    JsonObject suspension = trail.get(1);
    assertEquals("fraude", suspension.getString("reason"));
    assertEquals("127.0.0.1", suspension.getString("actor_ip"));
    assertTrue(suspension.getString("request_id") != null && suspension.getString("user_agent") != null, suspension.encode());
  }
}
