package sn.wolo.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sn.wolo.testing.Http.errorCode;

/**
 * Issue 15: the admin console's step-up sessions (fresh proof, idle and absolute timeouts, a move
 * ends them), RBAC and audit on every admin route of the registry, and an audit trail that cannot
 * be edited, read by keyset pages.
 */
class AdminConsoleTest {

  private static final AtomicInteger PHONES = new AtomicInteger();
  private static TestApp app;
  private static MutableClock clock;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now());
    app = TestApp.start(Map.of("http.rate-limit-per-minute", "1000000", "auth.rate-limit-per-minute", "1000000",
        "otp.max-per-ip-per-hour", "1000"), clock);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String phone() {
    return String.format("+22177%07d", 8_100_000 + PHONES.incrementAndGet());
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, String token, String userAgent, String requestId) {
    var req = app.client().request(method, path).putHeader("Content-Type", "application/json");
    if (userAgent != null) req.putHeader("User-Agent", userAgent);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    if (requestId != null) req.putHeader("X-Request-Id", requestId);
    return Await.result(method == HttpMethod.GET || method == HttpMethod.DELETE ? req.send() : req.sendBuffer(Buffer.buffer("{}")), 30);
  }

  private static HttpResponse<Buffer> get(String path, String token) {
    return call(HttpMethod.GET, path, token, null, null);
  }

  @Test
  void theConsoleNeedsAFreshProofAndAnAdminRole() {
    String user = app.accounts().otpLogin(phone()).getString("access_token");
    var refused = app.http().post("/v1/admin/sessions", new JsonObject().put("code", "123456"), user);
    assertEquals(403, refused.statusCode(), "plain users have no console");

    String adminPhone = phone();
    String access = app.accounts().accessWithRole(app.sql(), adminPhone, "admin");
    var withAccessToken = get("/v1/admin/audit-logs", access);
    assertEquals(403, withAccessToken.statusCode());
    assertEquals("admin_session_required", errorCode(withAccessToken), "an access token is not enough");
    assertEquals("proof_required", errorCode(app.http().post("/v1/admin/sessions", new JsonObject(), access)));
    assertEquals("unknown_field", errorCode(app.http().post("/v1/admin/sessions", new JsonObject().put("otp", "1"), access)));
    var wrong = app.http().post("/v1/admin/sessions", new JsonObject().put("code", "000000"), access);
    assertEquals(401, wrong.statusCode(), "the sign-in code was consumed; a guessed one fails: " + wrong.bodyAsString());
    assertEquals(401, get("/v1/admin/audit-logs", "wadm_not-a-session").statusCode());

    String console = app.accounts().adminWithRoles(app.sql(), phone(), "admin");
    assertEquals(200, get("/v1/admin/audit-logs", console).statusCode());
    assertEquals(401, get("/v1/me", console).statusCode(), "an admin session token opens admin routes only");
    Row stored = Await.result(app.sql().query("SELECT session_token_hash FROM admin.admin_sessions ORDER BY created_at DESC LIMIT 1").execute())
        .iterator().next();
    assertTrue(!stored.getString(0).contains(console) && stored.getString(0).length() == 64, "only the token's hash is stored");
  }

  @Test
  void sessionsEndWhenIdleTooOldMovedSignedOutOrEnded() {
    String idle = app.accounts().adminWithRoles(app.sql(), phone(), "admin");
    clock.advance(Duration.ofMinutes(31));
    assertEquals("admin_session_expired", errorCode(get("/v1/admin/sessions", idle)));
    assertEquals("admin_session_invalid", errorCode(get("/v1/admin/sessions", idle)), "an ended session stays ended");

    String busy = app.accounts().adminWithRoles(app.sql(), phone(), "admin");
    Instant opened = clock.instant();
    while (Duration.between(opened, clock.instant()).plusMinutes(25).compareTo(Duration.ofHours(8)) < 0) {
      clock.advance(Duration.ofMinutes(25));
      assertEquals(200, get("/v1/admin/sessions", busy).statusCode(), "active within the idle timeout");
    }
    clock.advance(Duration.ofMinutes(25));
    assertEquals("admin_session_expired", errorCode(get("/v1/admin/sessions", busy)), "8 hours at most, however busy");

    String moved = app.accounts().adminWithRoles(app.sql(), phone(), "admin");
    assertEquals(200, get("/v1/admin/sessions", moved).statusCode());
    var elsewhere = call(HttpMethod.GET, "/v1/admin/sessions", moved, "curl/8.0", null);
    assertEquals("admin_session_suspicious", errorCode(elsewhere));
    assertEquals("admin_session_invalid", errorCode(get("/v1/admin/sessions", moved)), "ended, also for the original device");
    Row flagged = Await.result(app.sql().preparedQuery("""
        SELECT is_suspicious, termination_reason, security_flags FROM admin.admin_sessions WHERE session_token_hash = $1""")
        .execute(Tuple.of(sn.wolo.platform.security.Tokens.sha256(moved)))).iterator().next();
    assertEquals(true, flagged.getBoolean(0));
    assertEquals("suspicious", flagged.getString(1));
    assertEquals(true, ((JsonObject) flagged.getValue(2)).getBoolean("user_agent_changed"));

    // Signing the access session out ends the console session stepped up from it.
    String phone = phone();
    String access = app.accounts().accessWithRole(app.sql(), phone, "admin");
    Await.result(app.sql().preparedQuery("UPDATE identity.otp_codes SET created_at = created_at - interval '2 hours' WHERE phone = $1")
        .execute(Tuple.of(phone)));
    Set<String> before = app.accounts().codes(phone);
    assertEquals(202, app.http().post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null).statusCode());
    String console = app.http().post("/v1/admin/sessions", new JsonObject().put("code", app.accounts().newestCode(phone, before)), access)
        .bodyAsJsonObject().getString("admin_token");
    assertEquals(200, get("/v1/admin/sessions", console).statusCode());
    assertEquals(204, app.http().post("/v1/auth/logout", new JsonObject(), access).statusCode());
    assertEquals(401, get("/v1/admin/sessions", console).statusCode());

    // Ending: mine, yes; someone else's, not found; a super_admin ends anyone's.
    String mine = app.accounts().adminWithRoles(app.sql(), phone(), "admin");
    String other = app.accounts().adminWithRoles(app.sql(), phone(), "admin");
    String superAdmin = app.accounts().adminWithRoles(app.sql(), phone(), "super_admin");
    JsonArray listed = get("/v1/admin/sessions", mine).bodyAsJsonObject().getJsonArray("items");
    assertEquals(1, listed.size(), "an admin sees their own sessions: " + listed.encode());
    String mineId = listed.getJsonObject(0).getString("id");
    String otherId = get("/v1/admin/sessions", other).bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("id");
    assertTrue(get("/v1/admin/sessions", superAdmin).bodyAsJsonObject().getJsonArray("items").size() >= 3, "a super_admin sees all");
    assertEquals(404, app.http().delete("/v1/admin/sessions/" + otherId, mine).statusCode());
    assertEquals(200, app.http().delete("/v1/admin/sessions/" + otherId, superAdmin).statusCode());
    assertEquals(401, get("/v1/admin/sessions", other).statusCode());
    assertEquals(200, app.http().delete("/v1/admin/sessions/" + mineId, mine).statusCode());
    assertEquals(401, get("/v1/admin/sessions", mine).statusCode());
  }

  /** Every admin operation of the registry: 401 anonymous, 403 for a user, 403 for an admin without a session; audited with one. */
  @Test
  void everyAdminRouteRefusesWithoutAConsoleSessionAndIsAuditedWithOne() {
    String user = app.accounts().otpLogin(phone()).getString("access_token");
    String adminAccess = app.accounts().accessWithRole(app.sql(), phone(), "admin");
    String console = app.accounts().adminWithRoles(app.sql(), phone(), "super_admin");
    JsonObject paths = app.http().get("/openapi.json", null).bodyAsJsonObject().getJsonObject("paths");
    List<String> failures = new ArrayList<>();
    int swept = 0;
    for (String template : paths.fieldNames()) {
      if (!template.startsWith("/v1/admin/")) continue;
      for (String method : paths.getJsonObject(template).fieldNames()) {
        if (template.equals("/v1/admin/sessions") && method.equals("post")) continue;
        swept++;
        HttpMethod m = HttpMethod.valueOf(method.toUpperCase());
        String path = template.replaceAll("\\{consumer}", "no.such").replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        String ua = null;   // the client's own, as when the session was opened
        int anonymous = call(m, path, null, ua, null).statusCode();
        if (anonymous != 401) failures.add(method + " " + template + " anonymous → " + anonymous);
        int asUser = call(m, path, user, ua, null).statusCode();
        if (asUser != 403) failures.add(method + " " + template + " as a user → " + asUser);
        var noSession = call(m, path, adminAccess, ua, null);
        if (noSession.statusCode() != 403 || !"admin_session_required".equals(errorCode(noSession))) {
          failures.add(method + " " + template + " as an admin without a session → " + noSession.statusCode());
        }
        String requestId = "walk-" + UUID.randomUUID();
        var withSession = call(m, path, console, ua, requestId);
        if (withSession.statusCode() == 401 || withSession.statusCode() == 403 || withSession.statusCode() >= 500) {
          failures.add(method + " " + template + " with a super_admin session → " + withSession.statusCode() + " " + withSession.bodyAsString());
        }
        long audited = Await.result(app.sql().preparedQuery("""
                SELECT count(*) FROM admin.audit_logs WHERE request_id = $1 AND action = 'admin.request' AND actor_ip IS NOT NULL
                  AND metadata ->> 'method' = $2 AND metadata ->> 'route' = $3""")
            .execute(Tuple.of(requestId, method.toUpperCase(), template.replaceAll("\\{([^}]+)}", ":$1")))).iterator().next().getLong(0);
        if (audited != 1) failures.add(method + " " + template + " audited " + audited + " times");
      }
    }
    assertTrue(swept >= 40, "admin operations swept: " + swept);
    assertEquals(List.of(), failures);
  }

  @Test
  void theAuditTrailCannotBeEditedAndIsReadByKeysetPages() {
    String console = app.accounts().adminWithRoles(app.sql(), phone(), "admin");
    for (int i = 0; i < 12; i++) assertEquals(200, get("/v1/admin/sessions", console).statusCode());
    for (String sql : List.of("UPDATE admin.audit_logs SET reason = 'edited'", "DELETE FROM admin.audit_logs", "TRUNCATE admin.audit_logs")) {
      var e = assertThrows(RuntimeException.class, () -> Await.result(app.sql().query(sql).execute()), sql);
      assertTrue(e.getMessage().contains("append-only"), e.getMessage());
    }

    String actor = get("/v1/admin/sessions", console).bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("user_id");
    String base = "/v1/admin/audit-logs?action=admin.request&limit=5&actor=" + actor;
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      var page = get(base + (cursor == null ? "" : "&cursor=" + cursor), console).bodyAsJsonObject();
      for (Object o : page.getJsonArray("items")) {
        JsonObject row = (JsonObject) o;
        assertEquals(actor, row.getString("actor_user_id"));
        assertTrue(seen.add(row.getString("id")), "no row twice across pages, although each page read adds rows");
        assertNotNull(row.getString("request_id"));
      }
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 20);
    assertTrue(seen.size() >= 14, "every request before the first page is on some page: " + seen.size());
    assertEquals("invalid_from", errorCode(get("/v1/admin/audit-logs?from=yesterday", console)));
    assertEquals("invalid_cursor", errorCode(get("/v1/admin/audit-logs?cursor=bogus", console)));
    String future = Instant.now().plus(Duration.ofDays(400)).toString();
    assertEquals(0, get("/v1/admin/audit-logs?from=" + future, console).bodyAsJsonObject().getJsonArray("items").size());
  }

  @Test
  void dependenciesAreRecordedOnceAMinuteAcrossInstancesAndAChangeRaisesAnAlert() {
    java.time.OffsetDateTime now = clock.instant().atOffset(java.time.ZoneOffset.UTC);
    Await.result(app.sql().preparedQuery("""
        INSERT INTO admin.system_health_checks (service_name, check_name, status, checked_at)
        VALUES ('database', 'probe', 'unhealthy', $1), ('database', 'probe', 'healthy', $2)""")
        .execute(Tuple.of(now.minusMinutes(2), now.minusDays(31))));
    // Two instances' timers fire together: one records, the other sees the claim.
    var a = sn.wolo.platform.bus.Bus.call(app.vertx(), "wolo.admin.health-run", new JsonObject());
    var b = sn.wolo.platform.bus.Bus.call(app.vertx(), "wolo.admin.health-run", new JsonObject());
    JsonObject first = Await.result(a);
    JsonObject second = Await.result(b);
    JsonObject recorded = first.getInteger("recorded") > 0 ? first : second;
    assertEquals(0, Math.min(first.getInteger("recorded"), second.getInteger("recorded")), "claimed once: " + first + " " + second);
    assertTrue(recorded.getInteger("recorded") >= 5, "database, Wave, SMS, WhatsApp, email: " + recorded.encode());
    assertTrue(recorded.getJsonArray("changes").contains(new JsonObject().put("service", "database").put("from", "unhealthy").put("to", "healthy")),
        recorded.encode());
    assertEquals(1, recorded.getInteger("pruned"), "30 days kept");

    clock.advance(Duration.ofMinutes(1));
    JsonObject next = Await.result(sn.wolo.platform.bus.Bus.call(app.vertx(), "wolo.admin.health-run", new JsonObject()));
    assertTrue(next.getInteger("recorded") >= 5, "a minute later, recorded again");
    assertEquals(new JsonArray(), next.getJsonArray("changes"), "nothing changed, no alert");

    String console = app.accounts().adminWithRoles(app.sql(), phone(), "admin");
    JsonArray wave = get("/v1/admin/health/history?service=wave", console).bodyAsJsonObject().getJsonArray("items");
    assertEquals(2, wave.size(), wave.encode());
    assertEquals("healthy", wave.getJsonObject(0).getString("status"), "the Wave simulator answered the read-only probe");
    assertNotNull(wave.getJsonObject(0).getInteger("response_time_ms"));
    assertEquals("invalid_from", errorCode(get("/v1/admin/health/history?from=hier", console)));
  }

  /** Sensitive reads outside the console: an admin reading another user's private profile, a user's export. */
  @Test
  void anAdminReadingSomeoneElsesDataAndAnExportAreAudited() {
    JsonObject user = app.accounts().otpLogin(phone());
    String userId = user.getString("user_id");
    assertEquals(200, app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Coumba Privee").put("date_of_birth", "1990-05-05")
        .put("is_profile_public", false), user.getString("access_token")).statusCode());
    String adminAccess = app.accounts().accessWithRole(app.sql(), phone(), "admin");
    String reads = "SELECT count(*) FROM admin.audit_logs WHERE action = $1 AND resource_id = $2";
    var read = get("/v1/users/" + userId + "/profile", adminAccess);
    assertEquals(200, read.statusCode(), read.bodyAsString());
    assertEquals(1, Await.result(app.sql().preparedQuery(reads).execute(Tuple.of("admin.read", UUID.fromString(userId)))).iterator().next().getLong(0));
    assertEquals(200, get("/v1/users/" + userId + "/profile", user.getString("access_token")).statusCode(), "the owner's own read");
    assertEquals(1, Await.result(app.sql().preparedQuery(reads).execute(Tuple.of("admin.read", UUID.fromString(userId)))).iterator().next().getLong(0),
        "is not an admin read");
    assertEquals(200, get("/v1/me/export", user.getString("access_token")).statusCode());
    assertEquals(1, Await.result(app.sql().preparedQuery(reads).execute(Tuple.of("user.exported", UUID.fromString(userId)))).iterator().next().getLong(0));
  }
}
