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

/**
 * Two server processes on one database: a logout on one, a flag changed on one, seen by the other within
 * a second; one sign-in limit for both; both pot sweepers racing, each transition once.
 */
class TwoInstancesTest {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aLogoutOnOneInstanceIsRefusedOnTheOtherWithinASecond() throws Exception {
    String db = TestDatabases.migrated().url();
    try (ChildServer a = ChildServer.spawn("instance-a", Map.of("WOLO_DB_URL", db, "WOLO_AUTH_RATE_LIMIT_PER_MINUTE", "20",
        "WOLO_POT_SWEEP_MS", "100", "WOLO_POT_SWEEP_BATCH", "25")).awaitReady(Duration.ofSeconds(90));
         ChildServer b = ChildServer.spawn("instance-b", Map.of("WOLO_DB_URL", db, "WOLO_AUTH_RATE_LIMIT_PER_MINUTE", "20",
        "WOLO_POT_SWEEP_MS", "100", "WOLO_POT_SWEEP_BATCH", "25")).awaitReady(Duration.ofSeconds(90))) {
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

      // A feature flag changed through A is served by B within a second (LISTEN/NOTIFY, no DB read per request).
      String admin = adminToken(a, db, "+221770321002");
      JsonObject flag = new JsonObject().put("flag_key", "two_instances").put("name", "Deux").put("flag_type", "boolean")
          .put("is_enabled", true).put("rollout_percentage", 100).put("environment", "development");
      assertEquals(200, send(a.port(), "POST", "/v1/admin/feature-flags", flag, admin).statusCode());
      long changed = System.nanoTime();
      while (!Boolean.TRUE.equals(flagOn(b.port(), "two_instances"))) {
        assertTrue(System.nanoTime() - changed < Duration.ofSeconds(1).toNanos(), "instance B did not see the flag within 1 s");
        Thread.onSpinWait();
      }

      // So does a runtime business parameter (issue 15), and the console session opened on A works on B.
      var set = send(a.port(), "PUT", "/v1/admin/config/referral.max-invitations-per-day", new JsonObject().put("value", 7), admin);
      assertEquals(200, set.statusCode(), set.body());
      long configured = System.nanoTime();
      while (effective(b.port(), admin, "referral.max-invitations-per-day") != 7) {
        assertTrue(System.nanoTime() - configured < Duration.ofSeconds(1).toNanos(), "instance B did not apply the new limit within 1 s");
        Thread.onSpinWait();
      }

      // An A/B test started through A is assigned by B within a second (NOTIFY wolo_ab_changed, no DB read per request).
      JsonObject test = new JsonObject().put("test_name", "two_instances_ab").put("primary_metric", "donation_completed")
          .put("variants", new JsonObject().put("a", new JsonObject()).put("b", new JsonObject()))
          .put("traffic_allocation", new JsonObject().put("a", 0.5).put("b", 0.5));
      var created = send(a.port(), "POST", "/v1/admin/ab-tests", test, admin);
      assertEquals(201, created.statusCode(), created.body());
      assertEquals(404, send(b.port(), "GET", "/v1/ab-tests/two_instances_ab/assignment?anonymous_id=x1", null, null).statusCode(),
          "a draft is not assigned");
      var started = send(a.port(), "POST", "/v1/admin/ab-tests/two_instances_ab/start", new JsonObject(), admin);
      assertEquals(200, started.statusCode(), started.body());
      long abStarted = System.nanoTime();
      while (send(b.port(), "GET", "/v1/ab-tests/two_instances_ab/assignment?anonymous_id=x1", null, null).statusCode() != 200) {
        assertTrue(System.nanoTime() - abStarted < Duration.ofSeconds(1).toNanos(), "instance B did not assign the started test within 1 s");
        Thread.onSpinWait();
      }

      // The sign-in limit (20 a minute per IP here) is counted in PostgreSQL: two instances do not double it.
      // A probe that straddles a minute boundary saw two windows: it is run again (once is enough).
      for (int probe = 0; probe < 2; probe++) {
        long minute = System.currentTimeMillis() / 60_000;
        int accepted = 0;
        java.util.Set<Integer> refusedBy = new java.util.HashSet<>();
        for (int i = 0; i < 60 && refusedBy.size() < 2; i++) {
          int port = i % 2 == 0 ? a.port() : b.port();
          int status = send(port, "POST", "/v1/auth/login", new JsonObject().put("email", "nobody@example.sn").put("password", "Wrong-pass-2026"), null)
              .statusCode();
          if (status == 429) refusedBy.add(port);
          else accepted++;
        }
        if (System.currentTimeMillis() / 60_000 != minute) continue;
        assertEquals(2, refusedBy.size(), "both instances refuse once the shared limit is reached");
        assertTrue(accepted <= 20, "one limit for both instances, not one each; accepted " + accepted);
        break;
      }

      // Both instances' pot sweepers (every 100 ms, 25 pots a batch) race over 300 pots due to open:
      // they claim disjoint pots, so every pot opens exactly once, with one event.
      sn.wolo.platform.db.DatabaseSettings settings = sn.wolo.platform.db.DatabaseSettings.parse(db);
      try (var c = java.sql.DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
        try (var seed = c.prepareStatement("""
            INSERT INTO pots.pots (owner_user_id, title, target_amount_cfa, birthday_date, scheduled_open_at, closes_at, status)
            SELECT u.id, 'Two sweepers', 10000, DATE '2040-01-01' + g, now() - interval '1 minute',
                   (DATE '2040-01-01' + g)::timestamp AT TIME ZONE 'Africa/Dakar', 'scheduled'
            FROM generate_series(1, 300) g, (SELECT id FROM identity.users WHERE 'admin' = ANY(roles) LIMIT 1) u""")) {
          assertEquals(300, seed.executeUpdate());
        }
        sn.wolo.testing.Eventually.until("300 pots opened by the two sweepers", () -> count(c,
            "SELECT count(*) FROM pots.pots WHERE title = 'Two sweepers' AND status = 'open'") == 300);
        assertEquals(300, count(c, """
            SELECT count(*) FROM platform.outbox o JOIN pots.pots p ON p.id::text = o.aggregate_id
            WHERE o.event_type = 'pot.opened' AND p.title = 'Two sweepers'"""), "one pot.opened event per pot, none twice");
      }
    }
  }

  private static long count(java.sql.Connection c, String sql) {
    try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private int effective(int port, String admin, String key) throws Exception {
    var r = send(port, "GET", "/v1/admin/config", null, admin);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getJsonArray("items").stream().map(JsonObject.class::cast).filter(i -> key.equals(i.getString("key")))
        .findFirst().orElseThrow().getInteger("effective");
  }

  private Boolean flagOn(int port, String key) {
    try {
      var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/feature-flags")).header("X-Install-Id", "install-two-jvm")
          .build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(r.body()).getJsonObject("flags").getBoolean(key);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String adminToken(ChildServer on, String dbUrl, String phone) throws Exception {
    assertEquals(202, send(on.port(), "POST", "/v1/auth/otp/request", new JsonObject().put("phone", phone), null).statusCode());
    String messages = send(on.port(), "GET", "/v1/dev/messages?recipient=" + URLEncoder.encode(phone, StandardCharsets.UTF_8), null, null).body();
    Matcher m = Pattern.compile("\\b(\\d{6})\\b").matcher(new JsonObject(messages).getJsonArray("messages").getJsonObject(0).getString("body"));
    assertTrue(m.find());
    JsonObject login = new JsonObject(send(on.port(), "POST", "/v1/auth/otp/verify", new JsonObject().put("phone", phone).put("code", m.group(1)), null).body());
    sn.wolo.platform.db.DatabaseSettings db = sn.wolo.platform.db.DatabaseSettings.parse(dbUrl);
    try (var c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         var st = c.prepareStatement("UPDATE identity.users SET roles = ARRAY['user','admin'] WHERE id = ?::uuid");
         var aged = c.prepareStatement("UPDATE identity.otp_codes SET created_at = created_at - interval '2 hours' WHERE phone = ?")) {
      st.setString(1, login.getString("user_id"));
      assertEquals(1, st.executeUpdate());
      aged.setString(1, phone);   // as if signed in earlier: the step-up's fresh code is not refused by the resend cooldown
      aged.executeUpdate();
    }
    var refreshed = send(on.port(), "POST", "/v1/auth/refresh", new JsonObject().put("refresh_token", login.getString("refresh_token")), null);
    assertEquals(200, refreshed.statusCode(), refreshed.body());
    String access = new JsonObject(refreshed.body()).getString("access_token");
    assertEquals(202, send(on.port(), "POST", "/v1/auth/otp/request", new JsonObject().put("phone", phone), null).statusCode());
    messages = send(on.port(), "GET", "/v1/dev/messages?recipient=" + URLEncoder.encode(phone, StandardCharsets.UTF_8), null, null).body();
    m = Pattern.compile("\\b(\\d{6})\\b").matcher(new JsonObject(messages).getJsonArray("messages").getJsonObject(0).getString("body"));
    assertTrue(m.find());
    var opened = send(on.port(), "POST", "/v1/admin/sessions", new JsonObject().put("code", m.group(1)), access);
    assertEquals(201, opened.statusCode(), opened.body());
    return new JsonObject(opened.body()).getString("admin_token");
  }

  private HttpResponse<String> send(int port, String method, String path, JsonObject body, String token) throws Exception {
    var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    if (token != null) builder.header("Authorization", "Bearer " + token);
    if (body != null) builder.header("Content-Type", "application/json");
    builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
