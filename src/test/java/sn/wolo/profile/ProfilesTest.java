package sn.wolo.profile;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.bus.Bus;
import sn.wolo.testing.Accounts;
import sn.wolo.testing.Await;
import sn.wolo.testing.Http;
import sn.wolo.testing.TestApp;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sn.wolo.testing.Http.errorCode;

/** Profiles over real HTTP: privacy, minors and guardians, ID documents, RBAC, addresses. */
class ProfilesTest {

  private static final AtomicInteger N = new AtomicInteger(2000);
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

  static String phone() {
    int n = N.incrementAndGet();
    return String.format("+22176%07d", n);
  }

  static String minorBirthDate() {
    return LocalDate.now(ZoneId.of("Africa/Dakar")).minusYears(15).toString();
  }

  private static JsonObject adult(String name) {
    return accounts.register(name.toLowerCase().replace(' ', '.') + N.incrementAndGet() + "@example.sn",
        "Teranga-2026!", name, "1990-05-17");
  }

  @Test
  void aPrivateProfileIsHiddenFromOthersButNotFromItsOwner() {
    JsonObject a = adult("Ndeye Ndiaye");
    JsonObject b = adult("Cheikh Ba");
    var hide = http.put("/v1/me/profile", new JsonObject().put("is_profile_public", false).put("bio", "secret bio"),
        a.getString("access_token"));
    assertEquals(200, hide.statusCode(), hide.bodyAsString());
    String path = "/v1/users/" + a.getString("user_id") + "/profile";

    var asOther = http.get(path, b.getString("access_token"));
    assertEquals(404, asOther.statusCode());
    assertFalse(asOther.bodyAsString().contains("secret bio"));
    assertEquals(404, http.get(path, null).statusCode(), "anonymous visitors neither");
    var asSelf = http.get(path, a.getString("access_token"));
    assertEquals(200, asSelf.statusCode());
    assertEquals("secret bio", asSelf.bodyAsJsonObject().getString("bio"));
    assertFalse(asSelf.bodyAsJsonObject().containsKey("date_of_birth"), "the public view has no birth date");

    String bPath = "/v1/users/" + b.getString("user_id") + "/profile";
    assertEquals("Cheikh Ba", http.get(bPath, null).bodyAsJsonObject().getString("full_name"), "public by default");
  }

  @Test
  void aMinorNeedsAnAcceptedGuardianBeforeOwningAPot() {
    String guardianPhone = phone();
    JsonObject guardian = accounts.otpLogin(guardianPhone);
    String minorPhone = phone();
    JsonObject minor = accounts.otpLogin(minorPhone);

    var noGuardian = http.put("/v1/me/profile", new JsonObject().put("full_name", "Aminata Diallo")
        .put("date_of_birth", minorBirthDate()), minor.getString("access_token"));
    assertEquals(422, noGuardian.statusCode());
    assertEquals("guardian_required", errorCode(noGuardian));
    var unknownGuardian = http.put("/v1/me/profile", new JsonObject().put("full_name", "Aminata Diallo")
        .put("date_of_birth", minorBirthDate()).put("guardian_phone", "+221700000001").put("relationship_type", "parent"),
        minor.getString("access_token"));
    assertEquals(200, unknownGuardian.statusCode(), "no account behind the phone is not disclosed: " + unknownGuardian.bodyAsString());

    var created = http.put("/v1/me/profile", new JsonObject().put("full_name", "Aminata Diallo")
        .put("date_of_birth", minorBirthDate()).put("guardian_phone", guardianPhone).put("relationship_type", "parent"),
        minor.getString("access_token"));
    assertEquals(200, created.statusCode(), created.bodyAsString());
    assertEquals(unknownGuardian.bodyAsString(), created.bodyAsString(), "byte-identical for a registered and an unknown phone");
    assertFalse(created.bodyAsString().contains(guardian.getString("user_id")), "the guardian's id is not exposed before acceptance");
    assertTrue(created.bodyAsJsonObject().getBoolean("is_minor"));
    assertFalse(created.bodyAsJsonObject().getBoolean("complete"));
    assertEquals(false, canOwnPot(minor.getString("user_id")).getBoolean("allowed"));
    assertEquals("guardian_required", canOwnPot(minor.getString("user_id")).getString("reason"));
    assertTrue(accounts.latestMessage(guardianPhone).contains("Aminata Diallo"), "the guardian was asked");

    var pending = http.get("/v1/me/guardian-requests", guardian.getString("access_token")).bodyAsJsonObject().getJsonArray("requests");
    assertEquals(1, pending.size());
    String requestId = pending.getJsonObject(0).getString("id");
    assertEquals(404, http.post("/v1/guardian-requests/" + requestId + "/accept", new JsonObject(),
        minor.getString("access_token")).statusCode(), "only the named guardian can accept");
    var accepted = http.post("/v1/guardian-requests/" + requestId + "/accept", new JsonObject(), guardian.getString("access_token"));
    assertEquals(200, accepted.statusCode(), accepted.bodyAsString());
    assertEquals(409, http.post("/v1/guardian-requests/" + requestId + "/accept", new JsonObject(),
        guardian.getString("access_token")).statusCode(), "answered once");

    assertEquals(true, canOwnPot(minor.getString("user_id")).getBoolean("allowed"));
    JsonObject profile = http.get("/v1/me/profile", minor.getString("access_token")).bodyAsJsonObject();
    assertTrue(profile.getBoolean("complete"));
    assertEquals(guardian.getString("user_id"), profile.getJsonObject("guardian").getString("user_id"));
    assertEquals("parent", profile.getJsonObject("guardian").getString("relationship_type"));
  }

  /** Issue 19: naming the same guardian again texts them once; the requests per minor are limited. */
  @Test
  void repeatedGuardianRequestsNeitherSpamNorRunUnbounded() {
    String guardianPhone = phone();
    accounts.otpLogin(guardianPhone);
    JsonObject minor = accounts.otpLogin(phone());
    JsonObject body = new JsonObject().put("full_name", "Moussa Sow").put("date_of_birth", minorBirthDate())
        .put("guardian_phone", guardianPhone).put("relationship_type", "parent");
    for (int i = 0; i < 10; i++) assertEquals(200, http.put("/v1/me/profile", body, minor.getString("access_token")).statusCode());
    long texts = Await.result(app.sql().preparedQuery("""
        SELECT count(*) FROM notifications.notifications n JOIN notifications.notification_templates t ON t.id = n.template_id
        WHERE t.template_key = 'guardian_request' AND n.recipient_identifier = $1""").execute(Tuple.of(guardianPhone)))
        .iterator().next().getLong(0);
    assertEquals(1, texts, "one SMS for ten identical requests");
    int limited = 0;
    for (int i = 0; i < 8; i++) {
      var r = http.put("/v1/me/profile", body.copy().put("guardian_phone", String.format("+22170%07d", 9_000_000 + i)), minor.getString("access_token"));
      if (r.statusCode() == 429) {
        limited++;
        assertEquals("guardian_rate_limited", errorCode(r));
      }
    }
    assertTrue(limited >= 4, "at most five requests a day per minor (" + limited + " refused)");
  }

  @Test
  void adultsCanOwnPotsOnceTheyHaveAProfile() {
    JsonObject user = accounts.otpLogin(phone());
    assertEquals("profile_incomplete", canOwnPot(user.getString("user_id")).getString("reason"));
    http.put("/v1/me/profile", new JsonObject().put("full_name", "Ousmane Sarr").put("date_of_birth", "1985-12-01"),
        user.getString("access_token"));
    assertEquals(true, canOwnPot(user.getString("user_id")).getBoolean("allowed"));
  }

  @Test
  void idNumbersAreEncryptedAtRestHashedForDuplicatesAndVerifiedOnlyByAdmins() {
    JsonObject user = adult("Mariama Kane");
    JsonObject other = adult("Ibrahima Gueye");
    JsonObject doc = new JsonObject().put("id_type", "national_id").put("id_number", "1 234 5678 90123").put("id_country", "SEN");
    var submitted = http.put("/v1/me/id-document", doc, user.getString("access_token"));
    assertEquals(200, submitted.statusCode(), submitted.bodyAsString());
    assertTrue(submitted.bodyAsJsonObject().getJsonObject("id_document").getBoolean("submitted"));
    assertFalse(submitted.bodyAsString().contains("1234567890123"), "the number is never returned");

    Row stored = Await.result(db.preparedQuery("SELECT id_number, id_hash FROM profiles.profiles WHERE user_id = $1")
        .execute(Tuple.of(UUID.fromString(user.getString("user_id"))))).iterator().next();
    assertFalse(stored.getString("id_number").contains("1234567890123"));
    assertNotNull(stored.getString("id_hash"));

    var duplicate = http.put("/v1/me/id-document", doc, other.getString("access_token"));
    assertEquals(409, duplicate.statusCode());
    assertEquals("id_already_registered", errorCode(duplicate));

    String verifyPath = "/v1/admin/users/" + user.getString("user_id") + "/verify-id";
    var asUser = http.post(verifyPath, new JsonObject(), other.getString("access_token"));
    assertEquals(403, asUser.statusCode(), "RBAC: users are not admins");
    JsonObject admin = makeAdmin(adult("Admin Wolo"));
    var verified = http.post(verifyPath, new JsonObject(), admin.getString("admin_token"));
    assertEquals(200, verified.statusCode(), verified.bodyAsString());
    assertNotNull(verified.bodyAsJsonObject().getJsonObject("id_document").getString("verified_at"));
    Row by = Await.result(db.preparedQuery("SELECT id_verified_by FROM profiles.profiles WHERE user_id = $1")
        .execute(Tuple.of(UUID.fromString(user.getString("user_id"))))).iterator().next();
    assertEquals(admin.getString("user_id"), by.getUUID(0).toString());
    assertEquals(404, http.post("/v1/admin/users/" + other.getString("user_id") + "/verify-id", new JsonObject(),
        admin.getString("admin_token")).statusCode(), "nothing submitted, nothing to verify");
  }

  @Test
  void addressesBelongToTheirOwner() {
    JsonObject a = adult("Khady Mbaye");
    JsonObject b = adult("Pape Diouf");
    var created = http.post("/v1/me/addresses", new JsonObject().put("city", "Thiès").put("region", "Thiès").put("is_default", true),
        a.getString("access_token"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String id = created.bodyAsJsonObject().getString("id");
    assertEquals("SEN", created.bodyAsJsonObject().getString("country"));
    assertEquals(404, http.delete("/v1/me/addresses/" + id, b.getString("access_token")).statusCode());
    assertEquals(404, http.put("/v1/me/addresses/" + id, new JsonObject().put("city", "Dakar"), b.getString("access_token")).statusCode());
    var second = http.post("/v1/me/addresses", new JsonObject().put("city", "Dakar").put("is_default", true), a.getString("access_token"));
    assertEquals(201, second.statusCode());
    var list = http.get("/v1/me/addresses", a.getString("access_token")).bodyAsJsonObject().getJsonArray("addresses");
    assertEquals(2, list.size());
    assertEquals(1, list.stream().filter(o -> ((JsonObject) o).getBoolean("is_default")).count(), "one default");
    assertEquals(204, http.delete("/v1/me/addresses/" + id, a.getString("access_token")).statusCode());
    assertEquals(400, http.post("/v1/me/addresses", new JsonObject().put("type", "moon"), a.getString("access_token")).statusCode());
  }

  @Test
  void profileAndNotificationPreferencesAreReadAndWrittenTogether() {
    JsonObject a = adult("Seynabou Faye");
    var put = http.put("/v1/me/profile", new JsonObject().put("locale", "wo-SN")
        .put("notification_preferences", new JsonObject().put("sms_enabled", false).put("quiet_hours_start", "21:30")),
        a.getString("access_token"));
    assertEquals(200, put.statusCode(), put.bodyAsString());
    JsonObject got = http.get("/v1/me/profile", a.getString("access_token")).bodyAsJsonObject();
    assertEquals("wo-SN", got.getString("locale"));
    assertEquals("Africa/Dakar", got.getString("timezone"));
    assertEquals(false, got.getJsonObject("notification_preferences").getBoolean("sms_enabled"));
    assertEquals(true, got.getJsonObject("notification_preferences").getBoolean("email_enabled"));
    assertEquals("21:30", got.getJsonObject("notification_preferences").getString("quiet_hours_start"));
    assertEquals(400, http.put("/v1/me/profile", new JsonObject().put("timezone", "Mars/Olympus"), a.getString("access_token")).statusCode());
    assertNull(got.getString("avatar_url"));
  }

  private static JsonObject canOwnPot(String userId) {
    return Await.result(Bus.call(app.vertx(), ProfileVerticle.address("can-own-pot"), new JsonObject().put("user_id", userId)));
  }

  /** Grants the admin role in the database, logs in again so the token carries it, and opens an admin session (password step-up). */
  private static JsonObject makeAdmin(JsonObject registered) {
    UUID id = UUID.fromString(registered.getString("user_id"));
    Row r = Await.result(db.preparedQuery("UPDATE identity.users SET roles = ARRAY['user','admin'] WHERE id = $1 RETURNING email")
        .execute(Tuple.of(id))).iterator().next();
    var login = http.post("/v1/auth/login", new JsonObject().put("email", r.getString("email")).put("password", "Teranga-2026!"), null);
    assertEquals(200, login.statusCode());
    var console = http.post("/v1/admin/sessions", new JsonObject().put("password", "Teranga-2026!"), login.bodyAsJsonObject().getString("access_token"));
    assertEquals(201, console.statusCode(), console.bodyAsString());
    return login.bodyAsJsonObject().put("admin_token", console.bodyAsJsonObject().getString("admin_token"));
  }
}
