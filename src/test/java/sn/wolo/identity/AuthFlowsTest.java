package sn.wolo.identity;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Accounts;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sn.wolo.testing.Http.errorCode;

/** Phone OTP and email/password flows over real HTTP against real PostgreSQL. */
class AuthFlowsTest {

  private static final AtomicInteger PHONES = new AtomicInteger(1000);
  private static MutableClock clock;
  private static TestApp app;
  private static Http http;
  private static Accounts accounts;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now());
    app = TestApp.start(Map.of("otp.max-per-phone-per-hour", "3", "otp.max-per-ip-per-hour", "1000",
        "auth.rate-limit-per-minute", "100000"), clock);
    http = app.http();
    accounts = app.accounts();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** A fresh valid Senegalese mobile number in local format, e.g. "77 100 10 01". */
  static String newLocalPhone() {
    int n = PHONES.incrementAndGet();
    return "77 1" + String.format("%02d %02d %02d", n / 10000 % 100, n / 100 % 100, n % 100);
  }

  static String e164(String local) {
    return "+221" + local.replace(" ", "");
  }

  @Test
  void otpHappyPathCreatesTheAccountOnceAndNormalisesLocalNumbers() {
    String local = newLocalPhone();
    JsonObject first = accounts.otpLogin(local);
    assertTrue(first.getBoolean("is_new_user"));
    assertEquals("Bearer", first.getString("token_type"));
    assertEquals(900, first.getInteger("expires_in"));
    var stored = http.get("/v1/dev/messages?recipient=%2B221" + local.replace(" ", ""), null)
        .bodyAsJsonObject().getJsonArray("messages");
    assertEquals(1, stored.size(), "the code was sent to the E.164 form of the local number");

    clock.advance(Duration.ofMinutes(2));   // past the resend cooldown
    JsonObject second = accounts.otpLogin(e164(local));
    assertFalse(second.getBoolean("is_new_user"));
    assertEquals(first.getString("user_id"), second.getString("user_id"));
    assertNotEquals(first.getString("session_id"), second.getString("session_id"));

    var sessions = http.get("/v1/me/sessions", second.getString("access_token"));
    assertEquals(200, sessions.statusCode(), sessions.bodyAsString());
    assertEquals(2, sessions.bodyAsJsonObject().getJsonArray("sessions").size());
  }

  @Test
  void fiveWrongCodesLockTheCode() {
    String phone = e164(newLocalPhone());
    assertEquals(202, http.post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null).statusCode());
    String code = accounts.latestCode(phone);
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 1; i <= 4; i++) {
      var r = http.post("/v1/auth/otp/verify", new JsonObject().put("phone", phone).put("code", wrong), null);
      assertEquals(401, r.statusCode());
      assertEquals("invalid_code", errorCode(r));
    }
    var fifth = http.post("/v1/auth/otp/verify", new JsonObject().put("phone", phone).put("code", wrong), null);
    assertEquals(429, fifth.statusCode());
    assertEquals("too_many_attempts", errorCode(fifth));
    var right = http.post("/v1/auth/otp/verify", new JsonObject().put("phone", phone).put("code", code), null);
    assertEquals(401, right.statusCode(), "a locked code no longer works, even when right");
  }

  @Test
  void anExpiredCodeIsRefused() {
    String phone = e164(newLocalPhone());
    http.post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null);
    String code = accounts.latestCode(phone);
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    var r = http.post("/v1/auth/otp/verify", new JsonObject().put("phone", phone).put("code", code), null);
    assertEquals(401, r.statusCode());
    assertEquals("code_expired", errorCode(r));
  }

  @Test
  void codesAreRateLimitedPerPhone() {
    String phone = e164(newLocalPhone());
    JsonObject body = new JsonObject().put("phone", phone);
    assertEquals(202, http.post("/v1/auth/otp/request", body, null).statusCode());
    var tooSoon = http.post("/v1/auth/otp/request", body, null);
    assertEquals(429, tooSoon.statusCode());
    assertEquals("otp_cooldown", errorCode(tooSoon));
    clock.advance(Duration.ofSeconds(61));
    assertEquals(202, http.post("/v1/auth/otp/request", body, null).statusCode());
    clock.advance(Duration.ofSeconds(61));
    assertEquals(202, http.post("/v1/auth/otp/request", body, null).statusCode());
    clock.advance(Duration.ofSeconds(61));
    var fourth = http.post("/v1/auth/otp/request", body, null);
    assertEquals(429, fourth.statusCode(), "3 codes per hour");
    assertEquals("otp_rate_limited", errorCode(fourth));
  }

  @Test
  void invalidPhoneNumbersAreRejected() {
    var r = http.post("/v1/auth/otp/request", new JsonObject().put("phone", "12"), null);
    assertEquals(400, r.statusCode());
    assertEquals("invalid_phone", errorCode(r));
  }

  @Test
  void registerThenLoginWithTheSameAnswerForUnknownEmailAndWrongPassword() {
    JsonObject reg = accounts.register("Awa.Diop@Example.SN", "Teranga-2026!", "Awa Diop", "1995-04-12");
    assertEquals("Awa Diop", reg.getJsonObject("profile").getString("full_name"));
    assertFalse(reg.getJsonObject("profile").getBoolean("is_minor"));

    var ok = http.post("/v1/auth/login", new JsonObject().put("email", "awa.diop@example.sn").put("password", "Teranga-2026!"), null);
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(reg.getString("user_id"), ok.bodyAsJsonObject().getString("user_id"));

    var wrong = http.post("/v1/auth/login", new JsonObject().put("email", "awa.diop@example.sn").put("password", "Teranga-2027!"), null);
    var unknown = http.post("/v1/auth/login", new JsonObject().put("email", "nobody@example.sn").put("password", "Teranga-2026!"), null);
    assertEquals(401, wrong.statusCode());
    assertEquals(401, unknown.statusCode());
    assertEquals(wrong.bodyAsJsonObject().getJsonObject("error").getString("message"),
        unknown.bodyAsJsonObject().getJsonObject("error").getString("message"));
    assertEquals("invalid_credentials", errorCode(unknown));

    var dup = http.post("/v1/auth/register", new JsonObject().put("email", "awa.diop@example.sn").put("password", "Another-pass-9")
        .put("full_name", "X").put("date_of_birth", "1990-01-01"), null);
    assertEquals(409, dup.statusCode());
    assertEquals("email_taken", errorCode(dup));
  }

  @Test
  void weakPasswordsAndBadProfilesAreRefusedBeforeAnythingIsCreated() {
    var weak = http.post("/v1/auth/register", new JsonObject().put("email", "weak@example.sn").put("password", "short1")
        .put("full_name", "W").put("date_of_birth", "1990-01-01"), null);
    assertEquals(400, weak.statusCode());
    assertEquals("weak_password", errorCode(weak));

    var badDate = http.post("/v1/auth/register", new JsonObject().put("email", "date@example.sn").put("password", "Teranga-2026!")
        .put("full_name", "D").put("date_of_birth", "not-a-date"), null);
    assertEquals(400, badDate.statusCode());
    assertEquals("invalid_date_of_birth", errorCode(badDate));
    var login = http.post("/v1/auth/login", new JsonObject().put("email", "date@example.sn").put("password", "Teranga-2026!"), null);
    assertEquals(401, login.statusCode(), "no account was created");
  }

  @Test
  void passwordResetTokensAreSingleUseAndSignEverySessionOut() {
    JsonObject reg = accounts.register("reset.me@example.sn", "Teranga-2026!", "Moussa Fall", "1988-09-30");
    assertEquals(202, http.post("/v1/auth/password/forgot", new JsonObject().put("email", "reset.me@example.sn"), null).statusCode());
    assertEquals(202, http.post("/v1/auth/password/forgot", new JsonObject().put("email", "ghost@example.sn"), null).statusCode(),
        "unknown emails get the same answer");
    String message = accounts.latestMessage("reset.me@example.sn");
    String token = message.replaceAll("(?s).*: ([A-Za-z0-9_-]{43})\\..*", "$1");
    assertEquals(43, token.length(), message);

    JsonObject reset = new JsonObject().put("token", token).put("new_password", "Nouveau-Mot-2026");
    assertEquals(204, http.post("/v1/auth/password/reset", reset, null).statusCode());
    var again = http.post("/v1/auth/password/reset", reset.copy().put("new_password", "Encore-Autre-2026"), null);
    assertEquals(400, again.statusCode());
    assertEquals("invalid_reset_token", errorCode(again));

    assertEquals(401, http.post("/v1/auth/login", new JsonObject().put("email", "reset.me@example.sn")
        .put("password", "Teranga-2026!"), null).statusCode());
    assertEquals(200, http.post("/v1/auth/login", new JsonObject().put("email", "reset.me@example.sn")
        .put("password", "Nouveau-Mot-2026"), null).statusCode());
    var oldRefresh = http.post("/v1/auth/refresh", new JsonObject().put("refresh_token", reg.getString("refresh_token")), null);
    assertEquals(401, oldRefresh.statusCode(), "the reset signed the old session out");
    assertEquals(401, http.get("/v1/me/sessions", reg.getString("access_token")).statusCode());
  }

  @Test
  void socialProvidersAnswer501() {
    var r = http.post("/v1/auth/oauth/google", new JsonObject().put("id_token", "x"), null);
    assertEquals(501, r.statusCode());
    assertEquals("provider_not_supported", errorCode(r));
  }

  /** Issue 10: a registration whose profile step fails leaves no usable account behind (compensated). */
  @Test
  void aRegistrationWhoseProfileStepFailsLeavesNoAccount() {
    sn.wolo.testing.TestDatabases.execute(app.db(), """
        CREATE FUNCTION refuse_profile() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.full_name = 'Echec Profil' THEN RAISE EXCEPTION 'injected profile failure'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER refuse_profile BEFORE INSERT ON profiles.profiles FOR EACH ROW EXECUTE FUNCTION refuse_profile();""");
    try {
      var r = http.post("/v1/auth/register", new JsonObject().put("email", "echec@example.sn").put("password", "Teranga-2026!")
          .put("full_name", "Echec Profil").put("date_of_birth", "1990-01-01"), null);
      assertTrue(r.statusCode() >= 500, r.statusCode() + " " + r.bodyAsString());
      var login = http.post("/v1/auth/login", new JsonObject().put("email", "echec@example.sn").put("password", "Teranga-2026!"), null);
      assertEquals(401, login.statusCode(), "the half-made account was undone: " + login.bodyAsString());
      long left = sn.wolo.testing.Await.result(app.sql().query("SELECT count(*) FROM identity.users WHERE email = 'echec@example.sn'").execute())
          .iterator().next().getLong(0);
      assertEquals(0, left, "no account keeps the address");
    } finally {
      sn.wolo.testing.TestDatabases.execute(app.db(), "DROP TRIGGER refuse_profile ON profiles.profiles; DROP FUNCTION refuse_profile();");
    }
  }

  /** Issue 16: GET /v1/me gives an app the account and its profile in one call. */
  @Test
  void meReturnsTheAccountAndItsProfile() {
    JsonObject login = accounts.otpLogin("+221775580001");
    String token = login.getString("access_token");
    JsonObject before = http.get("/v1/me", token).bodyAsJsonObject();
    assertEquals(login.getString("user_id"), before.getString("user_id"));
    assertEquals("+221775580001", before.getString("phone"));
    assertTrue(before.getJsonArray("roles").contains("user"));
    assertTrue(before.containsKey("profile") && before.getValue("profile") == null, "no profile yet: null");
    http.put("/v1/me/profile", new JsonObject().put("full_name", "Ndeye Diop").put("date_of_birth", "1992-03-04"), token);
    assertEquals("Ndeye Diop", http.get("/v1/me", token).bodyAsJsonObject().getJsonObject("profile").getString("full_name"));
    assertEquals(401, http.get("/v1/me", null).statusCode());
  }
}
