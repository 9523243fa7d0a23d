package sn.wolo.notification;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.api.OutgoingMessage;
import sn.wolo.notification.api.SendOutcome;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.Http;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: devices register their FCM token; pushes go through FCM HTTP v1 with a service account's
 * OAuth token (a local fake that checks the RS256 assertion), honour push_enabled, and a token FCM
 * no longer knows removes its device.
 */
class PushNotificationsTest {

  private static final String ANDROID_TOKEN = "fcm-token-android-0123456789:APA91b_abcdefghijklmnop";
  private static Vertx fakes;
  private static FakeFcm fcm;
  private static TestApp app;
  private static Http http;
  private static Notifications notifications;

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair serviceAccount = generator.generateKeyPair();
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(serviceAccount.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    fakes = Vertx.vertx();
    fcm = new FakeFcm(fakes, serviceAccount.getPublic(), "push@wolo-test.iam.gserviceaccount.com", "wolo-test");
    app = TestApp.start(Map.of("notification.push.base-url", fcm.url(), "notification.push.project-id", "wolo-test",
        "notification.push.client-email", "push@wolo-test.iam.gserviceaccount.com", "notification.push.private-key", pem,
        "notification.push.token-uri", fcm.url() + "/token", "notification.sweep-ms", "3600000", "auth.rate-limit-per-minute", "1000",
        "otp.max-per-ip-per-hour", "1000", "http.rate-limit-per-minute", "100000000"),
        new MutableClock(Instant.parse("2027-03-01T12:00:00Z")));   // midday in Dakar: outside the default quiet hours
    http = app.http();
    notifications = TypedBus.proxy(app.vertx(), Notifications.class);
  }

  @AfterAll
  static void stop() {
    app.close();
    Await.result(fakes.close());
  }

  private static void sweep() {
    Await.result(Bus.call(app.vertx(), "wolo.notification.sweep", new JsonObject()));
  }

  @Test
  void devicesAreRegisteredOnceListedWithoutTheirTokenAndRemovedByTheirOwnerOnly() {
    String token = app.accounts().otpLogin("+221781110001").getString("access_token");
    var first = http.post("/v1/me/devices", new JsonObject().put("platform", "android").put("token", ANDROID_TOKEN + "1"), token);
    assertEquals(201, first.statusCode(), first.bodyAsString());
    var again = http.post("/v1/me/devices", new JsonObject().put("platform", "android").put("token", ANDROID_TOKEN + "1"), token);
    assertEquals(200, again.statusCode(), "the same token is the same device");
    assertEquals(first.bodyAsJsonObject().getString("id"), again.bodyAsJsonObject().getString("id"));

    assertEquals("invalid_platform", Http.errorCode(http.post("/v1/me/devices", new JsonObject().put("platform", "windows")
        .put("token", ANDROID_TOKEN), token)));
    assertEquals("invalid_token", Http.errorCode(http.post("/v1/me/devices", new JsonObject().put("platform", "ios").put("token", "short"), token)));
    assertEquals("unknown_field", Http.errorCode(http.post("/v1/me/devices", new JsonObject().put("platform", "ios")
        .put("token", ANDROID_TOKEN).put("os", "17"), token)));
    assertEquals(401, http.post("/v1/me/devices", new JsonObject().put("platform", "ios").put("token", ANDROID_TOKEN), null).statusCode());

    var list = http.get("/v1/me/devices", token).bodyAsJsonObject();
    assertEquals(1, list.getJsonArray("items").size());
    assertFalse(list.encode().contains(ANDROID_TOKEN), "the token is never shown back");

    String id = first.bodyAsJsonObject().getString("id");
    String stranger = app.accounts().otpLogin("+221781110002").getString("access_token");
    assertEquals(404, http.delete("/v1/me/devices/" + id, stranger).statusCode());
    assertEquals(204, http.delete("/v1/me/devices/" + id, token).statusCode());
    assertEquals(0, http.get("/v1/me/devices", token).bodyAsJsonObject().getJsonArray("items").size());
  }

  @Test
  void aPushGoesThroughFcmWithAnOAuthTokenAndHonoursPreferences() {
    JsonObject login = app.accounts().otpLogin("+221781110003");
    String token = login.getString("access_token");
    UUID user = UUID.fromString(login.getString("user_id"));
    String deviceId = http.post("/v1/me/devices", new JsonObject().put("platform", "ios").put("token", ANDROID_TOKEN + "3"), token)
        .bodyAsJsonObject().getString("id");

    SendOutcome queued = Await.result(notifications.send(new OutgoingMessage("pot_funded", "push", "device:" + deviceId, user,
        OutgoingMessage.data("pot_title", "Les 30 ans d'Awa", "target", 100_000), "push-test-1")));
    assertTrue(queued.notificationId() != null, String.valueOf(queued));
    sweep();
    Eventually.until("the push reached FCM", () -> fcm.messages.stream().anyMatch(m -> (ANDROID_TOKEN + "3").equals(m.getString("token"))));
    JsonObject pushed = fcm.messages.stream().filter(m -> (ANDROID_TOKEN + "3").equals(m.getString("token"))).findFirst().orElseThrow();
    assertTrue(pushed.getJsonObject("notification").getString("body").contains("Les 30 ans d'Awa"), pushed.encode());
    assertEquals("pot_funded", pushed.getJsonObject("data").getString("template"));
    assertTrue(fcm.tokenRequests.get() >= 1, "the bearer came from the service account's signed assertion");
    Eventually.until("marked sent by fcm", () -> "sent".equals(row(queued.notificationId()).getString("status")));
    assertEquals("fcm", row(queued.notificationId()).getString("provider"));

    var off = http.put("/v1/me/profile", new JsonObject().put("full_name", "Awa Diop").put("date_of_birth", "1996-05-01")
        .put("notification_preferences", new JsonObject().put("push_enabled", false)), token);
    assertEquals(200, off.statusCode(), off.bodyAsString());
    SendOutcome skipped = Await.result(notifications.send(new OutgoingMessage("pot_funded", "push", "device:" + deviceId, user,
        OutgoingMessage.data("pot_title", "Les 30 ans d'Awa", "target", 100_000), "push-test-2")));
    assertEquals("channel_disabled", skipped.skipped());
    assertNull(skipped.notificationId());
  }

  /** Domain events reach the user's phone too: a pot that opens sends its SMS and a push to each device. */
  @Test
  void anOpenedPotIsPushedToTheOwnersDevices() {
    JsonObject login = app.accounts().otpLogin("+221781110005");
    String token = login.getString("access_token");
    assertEquals(201, http.post("/v1/me/devices", new JsonObject().put("platform", "android").put("token", ANDROID_TOKEN + "5"), token).statusCode());
    assertEquals(200, http.put("/v1/me/profile", new JsonObject().put("full_name", "Moussa Sow").put("date_of_birth", "1990-03-10"), token)
        .statusCode());
    var pot = http.post("/v1/pots", new JsonObject().put("title", "Les 37 ans de Moussa").put("target_amount_cfa", 150_000), token);
    assertEquals(201, pot.statusCode(), pot.bodyAsString());   // the birthday is in 9 days: open at once, pot.opened
    Eventually.until("the pot_opened push queued", () -> Await.result(app.sql().preparedQuery(
            "SELECT count(*) FROM notifications.notifications WHERE user_id = $1 AND channel = 'push'")
        .execute(Tuple.of(UUID.fromString(login.getString("user_id"))))).iterator().next().getLong(0) == 1);
    sweep();
    Eventually.until("the push reached FCM", () -> fcm.messages.stream().anyMatch(m -> (ANDROID_TOKEN + "5").equals(m.getString("token"))
        && "pot_opened".equals(m.getJsonObject("data").getString("template"))));
  }

  @Test
  void aTokenFcmNoLongerKnowsRemovesItsDevice() {
    JsonObject login = app.accounts().otpLogin("+221781110004");
    String token = login.getString("access_token");
    String deviceId = http.post("/v1/me/devices", new JsonObject().put("platform", "android").put("token", "dead-" + ANDROID_TOKEN), token)
        .bodyAsJsonObject().getString("id");
    Await.result(notifications.send(new OutgoingMessage("pot_funded", "push", "device:" + deviceId, UUID.fromString(login.getString("user_id")),
        OutgoingMessage.data("pot_title", "Fête", "target", 5_000), "push-test-3")));
    sweep();
    Eventually.until("the unregistered device is removed", () -> Await.result(app.sql()
        .preparedQuery("SELECT count(*) FROM notifications.user_devices WHERE id = $1").execute(Tuple.of(UUID.fromString(deviceId))))
        .iterator().next().getLong(0) == 0);
    assertEquals(0, http.get("/v1/me/devices", token).bodyAsJsonObject().getJsonArray("items").size());
  }

  private static JsonObject row(UUID id) {
    return Await.result(app.sql().preparedQuery("SELECT status, provider FROM notifications.notifications WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next().toJson();
  }
}
