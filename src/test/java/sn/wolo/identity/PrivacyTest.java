package sn.wolo.identity;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import sn.wolo.Domains;
import sn.wolo.testing.Accounts;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.TestApp;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GDPR export and erasure (spec §7), and no secret or PII in the logs of any flow. */
class PrivacyTest {

  private static TestApp app;
  private static Http http;
  private static Accounts accounts;
  private static Pool db;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    http = app.http();
    accounts = app.accounts();
    db = app.sql();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void exportGathersTheUsersDataFromEveryDomain() {
    JsonObject user = accounts.register("export.me@example.sn", "Teranga-2026!", "Rokhaya Cisse", "1993-07-07");
    String token = user.getString("access_token");
    http.post("/v1/me/addresses", new JsonObject().put("city", "Saint-Louis"), token);
    http.put("/v1/me/id-document", new JsonObject().put("id_type", "passport").put("id_number", "A12345678"), token);

    var r = http.get("/v1/me/export", token);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject data = r.bodyAsJsonObject().getJsonObject("data");
    for (String domain : Domains.names()) assertTrue(data.containsKey(domain), "section " + domain);
    assertEquals("export.me@example.sn", data.getJsonObject("identity").getString("email"));
    assertEquals("Rokhaya Cisse", data.getJsonObject("profile").getString("full_name"));
    assertEquals("A12345678", data.getJsonObject("profile").getJsonObject("id_document").getString("id_number"));
    assertEquals("Saint-Louis", data.getJsonObject("profile").getJsonArray("addresses").getJsonObject(0).getString("city"));
    assertTrue(data.getJsonObject("notification").containsKey("preferences"));
    assertFalse(r.bodyAsString().contains("argon2"), "no password hash in the export");
  }

  @Test
  void erasureAnonymisesTheAccountAndItsProfileAndEndsEverySession() {
    JsonObject user = accounts.register("erase.me@example.sn", "Teranga-2026!", "Babacar Ndour", "1980-03-03");
    String token = user.getString("access_token");
    http.put("/v1/me/id-document", new JsonObject().put("id_type", "national_id").put("id_number", "2999888777666"), token);
    http.post("/v1/me/addresses", new JsonObject().put("city", "Ziguinchor"), token);

    var requested = http.delete("/v1/me", token);
    assertEquals(202, requested.statusCode(), requested.bodyAsString());
    assertTrue(requested.bodyAsJsonObject().getString("erasure_due_at") != null, "the person is told when");

    assertEquals(403, http.post("/v1/auth/login", new JsonObject().put("email", "erase.me@example.sn")
        .put("password", "Teranga-2026!"), null).statusCode(), "frozen at once");
    assertEquals(401, http.get("/v1/me/sessions", token).statusCode());
    assertEquals(401, http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", user.getString("refresh_token")), null)
        .statusCode());

    UUID id = UUID.fromString(user.getString("user_id"));
    // 30 days later (the grace itself is tested with a moved clock in ErasureScanTest).
    Await.result(db.preparedQuery("UPDATE identity.erasure_requests SET due_at = requested_at WHERE user_id = $1").execute(Tuple.of(id)));
    assertEquals(1, Await.result(sn.wolo.platform.bus.Bus.call(app.vertx(), "wolo.identity.erase-due", new JsonObject())).getInteger("erased"));
    assertEquals(401, http.post("/v1/auth/login", new JsonObject().put("email", "erase.me@example.sn")
        .put("password", "Teranga-2026!"), null).statusCode(), "no account any more");
    Row u = Await.result(db.preparedQuery("SELECT phone, email, password_hash, erased_at, is_active FROM identity.users WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next();
    assertNull(u.getString("email"));
    assertNull(u.getString("phone"));
    assertNull(u.getString("password_hash"));
    assertFalse(u.getBoolean("is_active"));
    assertTrue(u.getOffsetDateTime("erased_at") != null, "the row stays for the financial records");
    sn.wolo.testing.Eventually.until("the profile erased", () -> Await.result(db.preparedQuery(
        "SELECT count(*) FROM profiles.profiles WHERE user_id = $1 AND full_name LIKE '%Babacar%'").execute(Tuple.of(id))).iterator().next().getLong(0) == 0);
    Row p = Await.result(db.preparedQuery("SELECT full_name, id_number, id_hash, bio FROM profiles.profiles WHERE user_id = $1")
        .execute(Tuple.of(id))).iterator().next();
    assertFalse(p.getString("full_name").contains("Babacar"));
    assertNull(p.getString("id_number"));
    assertNull(p.getString("id_hash"));
    sn.wolo.testing.Eventually.until("the addresses erased", () -> Await.result(db.preparedQuery(
        "SELECT count(*) FROM profiles.user_addresses WHERE user_id = $1").execute(Tuple.of(id))).iterator().next().getLong(0) == 0);
    long addresses = Await.result(db.preparedQuery("SELECT count(*) FROM profiles.user_addresses WHERE user_id = $1")
        .execute(Tuple.of(id))).iterator().next().getLong(0);
    assertEquals(0, addresses);
    long events = Await.result(db.preparedQuery("SELECT count(*) FROM platform.outbox WHERE event_type = 'identity.user_erased' AND aggregate_id = $1")
        .execute(Tuple.of(id.toString()))).iterator().next().getLong(0);
    assertEquals(1, events, "the other domains are told through the outbox");
  }

  @Test
  void noPasswordOtpTokenOrIdNumberReachesTheLogs() {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("sn.wolo");
    Logger access = (Logger) LoggerFactory.getLogger("sn.wolo.access");
    Level oursBefore = ours.getLevel();
    Level accessBefore = access.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    ours.setLevel(Level.DEBUG);
    access.setLevel(Level.INFO);
    List<String> secrets = new ArrayList<>();
    try {
      String phone = "+221781112233";
      http.post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null);
      String code = accounts.latestCode(phone);
      secrets.add(code);
      http.post("/v1/auth/otp/verify", new JsonObject().put("phone", phone).put("code", code.equals("123456") ? "654321" : "123456"), null);
      var otp = http.post("/v1/auth/otp/verify", new JsonObject().put("phone", phone).put("code", code), null).bodyAsJsonObject();
      secrets.add(otp.getString("access_token"));
      secrets.add(otp.getString("refresh_token"));

      String password = "Secret-Logs-9876";
      secrets.add(password);
      JsonObject reg = accounts.register("audit.trail@example.sn", password, "Log Test", "1991-01-01");
      secrets.add(reg.getString("refresh_token"));
      http.post("/v1/auth/login", new JsonObject().put("email", "audit.trail@example.sn").put("password", "Wrong-" + password), null);
      http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", reg.getString("refresh_token")), null);
      http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", reg.getString("refresh_token")), null);   // reuse
      http.post("/v1/auth/password/forgot", new JsonObject().put("email", "audit.trail@example.sn"), null);
      String reset = accounts.latestMessage("audit.trail@example.sn").replaceAll("(?s).*: ([A-Za-z0-9_-]{43})\\..*", "$1");
      secrets.add(reset);
      http.post("/v1/auth/password/reset", new JsonObject().put("token", reset).put("new_password", "Another-Secret-5432"), null);
      secrets.add("Another-Secret-5432");
      var login = http.post("/v1/auth/login", new JsonObject().put("email", "audit.trail@example.sn").put("password", "Another-Secret-5432"), null)
          .bodyAsJsonObject();
      String idNumber = "SN77665544";
      secrets.add(idNumber);
      http.put("/v1/me/id-document", new JsonObject().put("id_type", "passport").put("id_number", idNumber), login.getString("access_token"));
      http.get("/v1/me/export", login.getString("access_token"));
      http.get("/v1/me/sessions", "forged." + login.getString("access_token"));
      // A share link's token is a bearer secret too, and it travels in a path.
      JsonObject owner = accounts.otpLogin("+221781112244");
      http.put("/v1/me/profile", new JsonObject().put("full_name", "Log Owner")
          .put("date_of_birth", java.time.LocalDate.now().plusDays(10).withYear(1990).toString()), owner.getString("access_token"));
      String pot = http.post("/v1/pots", new JsonObject().put("title", "Logs").put("target_amount_cfa", 5000).put("visibility", "private"),
          owner.getString("access_token")).bodyAsJsonObject().getString("id");
      String link = http.post("/v1/pots/" + pot + "/invitations", new JsonObject().put("method", "social").put("recipient", "@amis"),
          owner.getString("access_token")).bodyAsJsonObject().getString("link");
      String share = link.substring(link.indexOf("?t=") + 3);
      secrets.add(share);
      assertEquals(200, http.get("/v1/public/invitations/" + share, null).statusCode());
      assertEquals(200, http.get("/v1/public/pots/" + pot + "?t=" + share, null).statusCode());

    } finally {
      root.detachAppender(captured);
      ours.setLevel(oursBefore);
      access.setLevel(accessBefore);
    }
    // Background threads (event consumers, sweepers) may still be appending: read a snapshot taken
    // under the appender's lock (AppenderBase.doAppend is synchronized on it).
    List<ILoggingEvent> logged;
    synchronized (captured) {
      captured.stop();
      logged = new ArrayList<>(captured.list);
    }
    assertTrue(logged.size() > 10, "the flows did log (" + logged.size() + " events)");
    for (ILoggingEvent e : logged) {
      StringBuilder line = new StringBuilder(e.getFormattedMessage());
      if (e.getKeyValuePairs() != null) e.getKeyValuePairs().forEach(kv -> line.append(' ').append(kv.key).append('=').append(kv.value));
      line.append(' ').append(e.getMDCPropertyMap());
      if (e.getThrowableProxy() != null) line.append(' ').append(e.getThrowableProxy().getMessage());
      for (String secret : secrets) {
        assertFalse(line.toString().contains(secret), "a secret reached the log: " + e.getLoggerName() + " " + e.getLevel());
      }
    }
    // The access log keeps the leading slash of every path (it used to log "v1/me/sessions").
    var paths = logged.stream().filter(e -> e.getLoggerName().equals("sn.wolo.access"))
        .flatMap(e -> e.getKeyValuePairs().stream()).filter(kv -> kv.key.equals("path")).map(kv -> String.valueOf(kv.value)).toList();
    assertTrue(paths.size() > 5, "access log lines: " + paths.size());
    assertTrue(paths.stream().allMatch(p -> p.startsWith("/")), paths.toString());
    assertTrue(paths.contains("/v1/me/sessions"), paths.toString());
  }
}
