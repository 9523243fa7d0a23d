package sn.wolo.notification;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.notification.channel.Channels;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.scheduling.DueWorkSweeper;
import sn.wolo.testing.Await;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.MutableClock;
import sn.wolo.testing.TestApp;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The notification queue against real PostgreSQL, a real SMTP server and a local SMS gateway. */
class NotificationsTest {

  private static MutableClock clock;
  private static Vertx fakes;
  private static FakeSmsGateway sms;
  private static GreenMail smtp;
  private static TestApp app;

  @BeforeAll
  static void start() throws Exception {
    // 2027-03-01 12:00 Dakar (= UTC)
    clock = new MutableClock(Instant.parse("2027-03-01T12:00:00Z"));
    fakes = Vertx.vertx();
    sms = new FakeSmsGateway(fakes, "sms-key");
    int smtpPort;
    try (ServerSocket s = new ServerSocket(0)) {
      smtpPort = s.getLocalPort();
    }
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
    smtp.start();
    app = TestApp.start(Map.ofEntries(Map.entry("notification.sms.base-url", "http://127.0.0.1:" + sms.port()),
        Map.entry("notification.sms.api-key", "sms-key"),
        Map.entry("notification.email.smtp-host", "127.0.0.1"),
        Map.entry("notification.email.smtp-port", String.valueOf(smtpPort)),
        Map.entry("notification.email.starttls", "false"),
        Map.entry("notification.callback-secret", "cb-secret"),
        Map.entry("notification.sweep-ms", "3600000"),
        Map.entry("otp.max-per-ip-per-hour", "1000"),
        Map.entry("notification.whatsapp.base-url", "http://127.0.0.1:" + sms.port()),
        Map.entry("notification.whatsapp.token", "wa-token"),
        Map.entry("notification.whatsapp.phone-number-id", "PHONE123")), clock);
  }

  @AfterAll
  static void stop() {
    app.close();
    smtp.stop();
    Await.result(fakes.close());
  }

  private static JsonObject send(JsonObject req) {
    return Await.result(Bus.call(app.vertx(), "wolo.notification.send", req));
  }

  /**
   * Phone login reading the code from what the SMS gateway received: once a real provider has the
   * message, the stored body no longer holds the code (issue 19).
   */
  private static JsonObject otpLogin(String phone) {
    long before = sms.received.stream().filter(m -> phone.equals(m.getString("to"))).count();
    assertEquals(202, app.http().post("/v1/auth/otp/request", new JsonObject().put("phone", phone), null).statusCode());
    sn.wolo.testing.Eventually.until("code sent", () -> sms.received.stream().filter(m -> phone.equals(m.getString("to"))).count() > before);
    String text = sms.received.stream().filter(m -> phone.equals(m.getString("to"))).reduce((a, b) -> b).orElseThrow().getString("text");
    var m = java.util.regex.Pattern.compile("\\b(\\d{6})\\b").matcher(text);
    assertTrue(m.find(), text);
    var verified = app.http().post("/v1/auth/otp/verify", new JsonObject().put("phone", phone).put("code", m.group(1)), null);
    assertEquals(200, verified.statusCode(), verified.bodyAsString());
    return verified.bodyAsJsonObject();
  }

  /** Issue 19: once sent, no OTP code, reset token or share token is left in clear anywhere in the database. */
  @Test
  void noSecretIsLeftInClearOnceTheMessagesAreSent() {
    String phone = "+221770000777";
    otpLogin(phone);
    String code = sms.received.stream().filter(m -> phone.equals(m.getString("to"))).reduce((a, b) -> b).orElseThrow().getString("text")
        .replaceAll("(?s).*\\b(\\d{6})\\b.*", "$1");
    JsonObject owner = otpLogin("+221770000778");
    String dob = java.time.LocalDate.now(java.time.ZoneId.of("Africa/Dakar")).plusDays(60).withYear(1990).toString();
    app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Awa Diop").put("date_of_birth", dob), owner.getString("access_token"));
    var pot = app.http().post("/v1/pots", new JsonObject().put("title", "Secret").put("target_amount_cfa", 5000).put("visibility", "private"),
        owner.getString("access_token"));
    assertEquals(201, pot.statusCode(), pot.bodyAsString());
    var invitation = app.http().post("/v1/pots/" + pot.bodyAsJsonObject().getString("id") + "/invitations",
        new JsonObject().put("method", "sms").put("recipient", "77 000 07 79"), owner.getString("access_token"));
    assertEquals(201, invitation.statusCode(), invitation.bodyAsString());
    String link = invitation.bodyAsJsonObject().getString("link");
    String share = link.substring(link.indexOf("?t=") + 3);
    sn.wolo.testing.Eventually.until("invitation sent", () -> sms.received.stream().anyMatch(m -> "+221770000779".equals(m.getString("to"))));
    sn.wolo.testing.Eventually.until("bodies masked after sending", () -> scanFor(share) == 0 && scanFor(code) == 0);
    assertTrue(sms.received.stream().anyMatch(m -> m.getString("text").contains(share)), "the invitee did get the link");
  }

  /** How many text/jsonb values of the whole database contain {@code secret}. */
  private static long scanFor(String secret) {
    var columns = Await.result(app.sql().query("""
        SELECT table_schema, table_name, column_name FROM information_schema.columns
        WHERE table_schema IN ('identity','profiles','referrals','pots','donations','packs','redemption','notifications','analytics','admin','platform')
          AND data_type IN ('text', 'character varying', 'jsonb', 'json')""").execute());
    long hits = 0;
    for (Row c : columns) {
      String sql = "SELECT count(*) FROM \"" + c.getString(0) + "\".\"" + c.getString(1) + "\" WHERE \"" + c.getString(2) + "\"::text LIKE $1";
      hits += Await.result(app.sql().preparedQuery(sql).execute(Tuple.of("%" + secret + "%"))).iterator().next().getLong(0);
    }
    return hits;
  }

  private static void sweep() {
    Await.result(Bus.call(app.vertx(), "wolo.notification.sweep", new JsonObject()));
  }

  private static String idOfMessageTo(String recipient) {
    return Await.result(app.sql().preparedQuery("SELECT id FROM notifications.notifications WHERE recipient_identifier = $1")
        .execute(Tuple.of(recipient))).iterator().next().getUUID(0).toString();
  }

  private static Row row(String id) {
    return Await.result(app.sql().preparedQuery("SELECT * FROM notifications.notifications WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(id)))).iterator().next();
  }

  @Test
  void everyTemplateRendersWithSampleDataAndAMissingVariableIsAnError() {
    var rows = Await.result(app.sql().query("SELECT template_key, subject, body_text, body_html, variables FROM notifications.notification_templates").execute());
    Set<String> keys = new HashSet<>();
    for (Row t : rows) {
      JsonObject declared = (JsonObject) t.getValue("variables");
      JsonObject data = new JsonObject();
      declared.forEach(v -> data.put(v.getKey(), "number".equals(v.getValue()) ? (Object) 1234 : "texte"));
      String key = t.getString("template_key");
      keys.add(key);
      String body = TemplateRenderer.text(key, t.getString("body_text"), declared, data);
      assertFalse(body.contains("{{"), key);
      assertTrue(body.contains("texte") || body.contains("1234"), key + " uses its variables");
      if (t.getString("body_html") != null) assertFalse(TemplateRenderer.html(key, t.getString("body_html"), declared, data).contains("{{"));
      if (!declared.isEmpty()) {
        JsonObject missing = data.copy();
        missing.remove(declared.fieldNames().iterator().next());
        DomainException e = assertThrows(DomainException.class, () -> TemplateRenderer.text(key, t.getString("body_text"), declared, missing));
        assertEquals("missing_template_variable", e.code());
      }
    }
    assertTrue(keys.containsAll(Set.of("otp_code", "guardian_request", "referral_invitation", "referral_accepted", "pot_invitation",
        "pot_opened", "pot_reminder_j7", "pot_reminder_j1", "donation_received", "donation_thank_you", "pot_funded", "pot_closed",
        "qr_issued", "refund_made", "password_reset")), keys.toString());
  }

  @Test
  void anEventDeliveredTwiceQueuesOneMessage() {
    JsonObject req = new JsonObject().put("template_key", "pot_funded").put("channel", "whatsapp").put("recipient", "+221770000111")
        .put("data", new JsonObject().put("pot_title", "Mes 30 ans").put("target", 50000)).put("dedupe_key", "evt-1:pot_funded:u1");
    assertTrue(send(req).containsKey("notification_id"));
    assertEquals(true, send(req).getBoolean("duplicate"));
    long n = Await.result(app.sql().query("SELECT count(*) FROM notifications.notifications WHERE recipient_identifier = '+221770000111'")
        .execute()).iterator().next().getLong(0);
    assertEquals(1, n);
  }

  @Test
  void aProviderFailingTwiceThenSucceedingGivesOneDeliveryAfterGrowingDelays() {
    int before = sms.received.size();
    sms.failuresFor.put("+221770000222", 2);
    String id = send(new JsonObject().put("template_key", "pot_closed").put("channel", "sms").put("recipient", "+221770000222")
        .put("data", new JsonObject().put("pot_title", "Cagnotte").put("raised", 1000))).getString("notification_id");
    Eventually.until("first failure recorded", () -> row(id).getInteger("retry_count") == 1);
    Row first = row(id);
    long firstDelay = Duration.between(clock.instant(), first.getOffsetDateTime("scheduled_at").toInstant()).getSeconds();
    assertTrue(firstDelay >= 24 && firstDelay <= 36, "30 s ± 20 %: " + firstDelay);

    clock.advance(Duration.ofSeconds(40));
    sweep();
    Eventually.until("second failure recorded", () -> row(id).getInteger("retry_count") == 2);
    long secondDelay = Duration.between(clock.instant(), row(id).getOffsetDateTime("scheduled_at").toInstant()).getSeconds();
    assertTrue(secondDelay >= 48 && secondDelay <= 72, "60 s ± 20 %: " + secondDelay);
    assertTrue(secondDelay > firstDelay);

    clock.advance(Duration.ofSeconds(80));
    sweep();
    Eventually.until("sent", () -> "sent".equals(row(id).getString("status")));
    Row sent = row(id);
    assertEquals(2, sent.getInteger("retry_count"));
    assertEquals("sms_gateway", sent.getString("provider"));
    assertTrue(sent.getString("provider_message_id").startsWith("sms-"));
    assertEquals(before + 1, sms.received.size(), "one delivery");
    assertTrue(sms.authorizations.stream().allMatch("Bearer sms-key"::equals));

    var callback = app.client().post("/v1/webhooks/notifications/sms_gateway").putHeader("Authorization", "Bearer cb-secret")
        .sendJsonObject(new JsonObject().put("provider_message_id", sent.getString("provider_message_id")).put("status", "delivered"));
    assertEquals(200, Await.result(callback).statusCode());
    assertEquals("delivered", row(id).getString("status"));
    var forged = app.client().post("/v1/webhooks/notifications/sms_gateway").putHeader("Authorization", "Bearer wrong")
        .sendJsonObject(new JsonObject().put("provider_message_id", "x").put("status", "failed"));
    assertEquals(401, Await.result(forged).statusCode());
  }

  /**
   * Issue 18: a claimed batch's sent messages are recorded together; one failing in the same batch
   * is recorded on its own (retry later) and does not hold back nor undo the others.
   */
  @Test
  void aBatchWithOneFailingMessageRecordsTheOthersSentAndRetriesThatOne() {
    sms.failuresFor.put("+221770000299", 1);
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (String to : java.util.List.of("+221770000297", "+221770000298", "+221770000299")) {
      ids.add(send(new JsonObject().put("template_key", "pot_closed").put("channel", "sms").put("recipient", to)
          .put("data", new JsonObject().put("pot_title", "Cagnotte").put("raised", 1000))).getString("notification_id"));
    }
    sweep();
    Eventually.until("two sent, one to retry", () -> "sent".equals(row(ids.get(0)).getString("status"))
        && "sent".equals(row(ids.get(1)).getString("status")) && row(ids.get(2)).getInteger("retry_count") == 1);
    assertEquals("pending", row(ids.get(2)).getString("status"));
    assertTrue(row(ids.get(0)).getString("provider_message_id").startsWith("sms-"));
    assertTrue(row(ids.get(1)).getString("provider_message_id").startsWith("sms-"));
    assertNotEquals(row(ids.get(0)).getString("provider_message_id"), row(ids.get(1)).getString("provider_message_id"));
  }

  /**
   * A claimed batch goes to its provider at once. With the HTTP client's default pool (5 connections)
   * the sixth message waited for one of the first five to be answered: behind a slow provider a batch
   * went out 5 at a time, and the messages still queued at the send timeout were counted failed — to be
   * sent by the queue and again by the retry.
   */
  @Test
  void aBatchReachesASlowProviderAllAtOnceNotFiveAtATime() {
    java.util.List<String> recipients = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) recipients.add(String.format("+2217700003%02d", i));
    io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
    recipients.forEach(to -> sms.answerHeldFor.put(to, gate));
    try {
      io.vertx.core.json.JsonArray messages = new io.vertx.core.json.JsonArray();
      recipients.forEach(to -> messages.add(new JsonObject().put("template_key", "pot_closed").put("channel", "sms").put("recipient", to)
          .put("data", new JsonObject().put("pot_title", "Cagnotte").put("raised", 1000))));
      Await.result(Bus.call(app.vertx(), "wolo.notification.send-all", new JsonObject().put("messages", messages)));
      sweep();
      // No answer is given until all twelve arrived: with five connections, the sixth never would.
      Eventually.until("all twelve handed to the gateway while none is answered",
          () -> sms.received.stream().filter(m -> recipients.contains(m.getString("to"))).count() == 12);
      gate.complete();
      for (String to : recipients) {
        String id = idOfMessageTo(to);
        Eventually.until("sent once answered", () -> "sent".equals(row(id).getString("status")));
      }
      assertEquals(12, sms.received.stream().filter(m -> recipients.contains(m.getString("to"))).count(), "each sent once");
    } finally {
      gate.tryComplete();
      recipients.forEach(sms.answerHeldFor::remove);
    }
  }

  /**
   * At least once, with the smallest window: a message whose provider answered is recorded sent at
   * once, not after the slowest send of its batch — a crash meanwhile would send it again.
   */
  @Test
  void aSlowProviderAnswerDoesNotHoldBackRecordingTheOthersOfItsBatch() {
    io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
    sms.answerHeldFor.put("+221770000296", gate);
    try {
      // Queued in one call: one nudge, one claimed batch holding both.
      io.vertx.core.json.JsonArray messages = new io.vertx.core.json.JsonArray();
      for (String to : java.util.List.of("+221770000296", "+221770000295")) {
        messages.add(new JsonObject().put("template_key", "pot_closed").put("channel", "sms").put("recipient", to)
            .put("data", new JsonObject().put("pot_title", "Cagnotte").put("raised", 1000)));
      }
      Await.result(Bus.call(app.vertx(), "wolo.notification.send-all", new JsonObject().put("messages", messages)));
      String slow = idOfMessageTo("+221770000296");
      String fast = idOfMessageTo("+221770000295");
      sweep();
      Eventually.until("the slow one handed to the gateway", () -> sms.received.stream().anyMatch(m -> "+221770000296".equals(m.getString("to"))));
      Eventually.until("the fast one recorded sent", () -> "sent".equals(row(fast).getString("status")));
      assertEquals("pending", row(slow).getString("status"), "its provider has not answered yet");
      gate.complete();
      Eventually.until("the slow one recorded sent once answered", () -> "sent".equals(row(slow).getString("status")));
      assertEquals(1, sms.received.stream().filter(m -> "+221770000296".equals(m.getString("to"))).count(), "sent once");
      assertEquals(1, sms.received.stream().filter(m -> "+221770000295".equals(m.getString("to"))).count(), "sent once");
    } finally {
      gate.tryComplete();
      sms.answerHeldFor.remove("+221770000296");
    }
  }

  @Test
  void quietHoursDeferToEightAndOtpGoesAtOnce() {
    clock.set(Instant.parse("2027-03-01T23:00:00Z"));   // 23:00 in Dakar
    try {
      JsonObject user = otpLogin("+221770000333");   // the OTP itself went out at 23:00
      String userId = user.getString("user_id");
      app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Nuit Calme").put("date_of_birth", "1990-01-01"),
          user.getString("access_token"));
      JsonObject queued = send(new JsonObject().put("template_key", "pot_funded").put("channel", "sms").put("recipient", "+221770000333")
          .put("user_id", userId).put("data", new JsonObject().put("pot_title", "Fête").put("target", 1000)));
      assertEquals("2027-03-02T08:00:00Z", queued.getString("scheduled_at"));
      JsonObject otp = send(new JsonObject().put("template_key", "otp_code").put("channel", "sms").put("recipient", "+221770000333")
          .put("user_id", userId).put("data", new JsonObject().put("code", "123456").put("minutes", 5)));
      assertEquals("2027-03-01T23:00:00Z", otp.getString("scheduled_at"));
      Eventually.until("otp sent at once", () -> "sent".equals(row(otp.getString("notification_id")).getString("status")));
      assertEquals("pending", row(queued.getString("notification_id")).getString("status"));
    } finally {
      clock.set(Instant.parse("2027-03-01T12:00:00Z"));
    }
  }

  @Test
  void donationsToAnOwnerAreBundledIntoADailyDigest() {
    JsonObject owner = otpLogin("+221770000555");
    JsonObject req = new JsonObject().put("template_key", "donation_received").put("channel", "sms").put("recipient", "+221770000555")
        .put("user_id", owner.getString("user_id"));
    send(req.copy().put("data", new JsonObject().put("donor_name", "A").put("pot_title", "P").put("amount", 2000).put("raised", 2000)));
    JsonObject second = send(req.copy().put("data", new JsonObject().put("donor_name", "B").put("pot_title", "P").put("amount", 3000)
        .put("raised", 5000)));
    assertEquals("2027-03-01T19:00:00Z", second.getString("scheduled_at"), "default digest: daily at 19:00 Dakar");
    Row digest = Await.result(app.sql().query("SELECT n.body, n.template_data FROM notifications.notifications n "
        + "JOIN notifications.notification_templates t ON t.id = n.template_id "
        + "WHERE n.recipient_identifier = '+221770000555' AND t.template_key = 'donation_digest'").execute()).iterator().next();
    assertEquals(2, ((JsonObject) digest.getValue("template_data")).getInteger("count"));
    assertTrue(digest.getString("body").contains("2 don(s) pour un total de 5000 F CFA"), digest.getString("body"));
  }

  /** Issue 18: credits of one owner arrive on several lanes and instances at once; the first ones of a period race to start the digest. */
  @Test
  void concurrentFirstDonationsOfAPeriodAreAllCountedInOneDigest() {
    JsonObject owner = otpLogin("+221770000556");
    JsonObject req = new JsonObject().put("template_key", "donation_received").put("channel", "sms").put("recipient", "+221770000556")
        .put("user_id", owner.getString("user_id"));
    java.util.List<io.vertx.core.Future<JsonObject>> racing = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      racing.add(Bus.call(app.vertx(), "wolo.notification.send", req.copy().put("data", new JsonObject().put("donor_name", "D" + i)
          .put("pot_title", "P").put("amount", 1000).put("raised", 1000 * (i + 1)))));
    }
    Await.result(io.vertx.core.Future.all(racing));
    var digests = Await.result(app.sql().query("SELECT n.template_data FROM notifications.notifications n "
        + "JOIN notifications.notification_templates t ON t.id = n.template_id "
        + "WHERE n.recipient_identifier = '+221770000556' AND t.template_key = 'donation_digest'").execute());
    assertEquals(1, digests.size(), "one digest for the period");
    JsonObject data = (JsonObject) digests.iterator().next().getValue(0);
    assertEquals(12, data.getInteger("count"), "every donation counted");
    assertEquals(12_000, data.getInteger("total"));
  }

  /**
   * Issue 18: a lane's credits are queued in one call; one owner's donations join the digest in one
   * addition (count and total), once each even when offered again, while an owner who wants each at
   * once still gets one message each (their dedupe keys make the second offer a no-op too).
   */
  @Test
  void aBurstQueuedAtOnceAddsToTheDigestOnceOrSendsEachToAnImmediateOwner() {
    JsonObject digested = otpLogin("+221770000557");
    JsonObject immediate = otpLogin("+221770000558");
    Await.result(sn.wolo.platform.bus.TypedBus.proxy(app.vertx(), sn.wolo.notification.api.Notifications.class)
        .updatePreferences(UUID.fromString(immediate.getString("user_id")), Map.of("digest_frequency", "immediate")));
    io.vertx.core.json.JsonArray messages = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < 5; i++) {
      for (JsonObject owner : java.util.List.of(digested, immediate)) {
        String phone = owner == digested ? "+221770000557" : "+221770000558";
        messages.add(new JsonObject().put("template_key", "donation_received").put("channel", "sms").put("recipient", phone)
            .put("user_id", owner.getString("user_id")).put("dedupe_key", "burst:" + i + ":" + phone)
            .put("data", new JsonObject().put("donor_name", "D" + i).put("pot_title", "P").put("amount", 1000 + i).put("raised", 5000)));
      }
    }
    Await.result(Bus.call(app.vertx(), "wolo.notification.send-all", new JsonObject().put("messages", messages)));
    // The same burst offered again (a batch retried event by event after a failure): nothing counts twice.
    Await.result(Bus.call(app.vertx(), "wolo.notification.send-all", new JsonObject().put("messages", messages)));
    var digest = Await.result(app.sql().query("SELECT n.template_data FROM notifications.notifications n "
        + "JOIN notifications.notification_templates t ON t.id = n.template_id "
        + "WHERE n.recipient_identifier = '+221770000557' AND t.template_key = 'donation_digest'").execute());
    assertEquals(1, digest.size());
    assertEquals(5, ((JsonObject) digest.iterator().next().getValue(0)).getInteger("count"));
    assertEquals(5_010, ((JsonObject) digest.iterator().next().getValue(0)).getInteger("total"));
    assertEquals(5, Await.result(app.sql().query("SELECT count(*) FROM notifications.notifications n "
        + "JOIN notifications.notification_templates t ON t.id = n.template_id "
        + "WHERE n.recipient_identifier = '+221770000558' AND t.template_key = 'donation_received'").execute()).iterator().next().getLong(0));
  }

  /**
   * Issue 18: lanes and instances queue their bursts at the same moment, each naming the same owners
   * in another order, every donation the first of its period for some of them: the digests are
   * started by one call and added to by the others (locks taken in one order: no deadlock), and
   * every donation counts once.
   */
  @Test
  void overlappingBurstsForManyOwnersCountEveryDonationOnce() {
    java.util.List<JsonObject> owners = new java.util.ArrayList<>();
    for (int o = 0; o < 6; o++) {
      String phone = "+22177000057" + o;
      UUID id = Await.result(app.sql().preparedQuery("INSERT INTO identity.users (phone, auth_provider) VALUES ($1, 'phone') RETURNING id")
          .execute(io.vertx.sqlclient.Tuple.of(phone))).iterator().next().getUUID(0);
      owners.add(new JsonObject().put("user_id", id.toString()).put("phone", phone));
    }
    java.util.List<io.vertx.core.Future<?>> bursts = new java.util.ArrayList<>();
    for (int b = 0; b < 4; b++) {
      io.vertx.core.json.JsonArray messages = new io.vertx.core.json.JsonArray();
      java.util.List<JsonObject> order = new java.util.ArrayList<>(owners);
      java.util.Collections.rotate(order, b * 2);
      if (b % 2 == 1) java.util.Collections.reverse(order);
      for (JsonObject owner : order) {
        String phone = owner.getString("phone");
        for (int i = 0; i < 3; i++) {
          messages.add(new JsonObject().put("template_key", "donation_received").put("channel", "sms").put("recipient", phone)
              .put("user_id", owner.getString("user_id")).put("dedupe_key", "overlap:" + b + ":" + i + ":" + phone)
              .put("data", new JsonObject().put("donor_name", "D").put("pot_title", "P").put("amount", 100).put("raised", 100)));
        }
        // A guest thanked in the same call: queued as its own message, in the same transaction.
        messages.add(new JsonObject().put("template_key", "donation_thank_you").put("channel", "sms").put("recipient", "+221760000" + b + "0" + owners.indexOf(owner))
            .put("dedupe_key", "overlap-thanks:" + b + ":" + phone).put("data", new JsonObject().put("amount", 100).put("owner_name", "O")));
      }
      bursts.add(Bus.call(app.vertx(), "wolo.notification.send-all", new JsonObject().put("messages", messages)));
    }
    Await.result(io.vertx.core.Future.all(bursts));
    for (JsonObject owner : owners) {
      var digest = Await.result(app.sql().preparedQuery("SELECT n.template_data FROM notifications.notifications n "
          + "JOIN notifications.notification_templates t ON t.id = n.template_id "
          + "WHERE n.recipient_identifier = $1 AND t.template_key = 'donation_digest'").execute(io.vertx.sqlclient.Tuple.of(owner.getString("phone"))));
      assertEquals(1, digest.size(), "one digest for " + owner.getString("phone"));
      assertEquals(12, ((JsonObject) digest.iterator().next().getValue(0)).getInteger("count"), "4 bursts × 3 donations");
      assertEquals(1_200, ((JsonObject) digest.iterator().next().getValue(0)).getInteger("total"));
    }
    assertEquals(24, Await.result(app.sql().query("SELECT count(*) FROM notifications.notifications WHERE dedupe_key LIKE 'overlap-thanks:%'")
        .execute()).iterator().next().getLong(0), "every guest thanked once");
  }

  @Test
  void whatsAppUsesTheCloudApiTemplateFormat() {
    String id = send(new JsonObject().put("template_key", "pot_funded").put("channel", "whatsapp").put("recipient", "+221770000666")
        .put("data", new JsonObject().put("pot_title", "Anniv").put("target", 9000))).getString("notification_id");
    Eventually.until("sent", () -> "sent".equals(row(id).getString("status")));
    assertEquals("whatsapp_business", row(id).getString("provider"));
    assertTrue(row(id).getString("provider_message_id").startsWith("wamid."));
    JsonObject request = sms.whatsapp.stream().filter(m -> "221770000666".equals(m.getString("to"))).findFirst().orElseThrow();
    assertEquals("whatsapp", request.getString("messaging_product"));
    assertEquals("template", request.getString("type"));
    assertEquals("pot_funded", request.getJsonObject("template").getString("name"));
    assertEquals("fr", request.getJsonObject("template").getJsonObject("language").getString("code"));
  }

  @Test
  void dailyAnalyticsCountPerTemplateAndChannel() {
    send(new JsonObject().put("template_key", "pot_funded").put("channel", "email").put("recipient", "stats@example.sn")
        .put("data", new JsonObject().put("pot_title", "Stats").put("target", 1)));
    Eventually.until("sent", () -> Await.result(app.sql().query("SELECT count(*) FROM notifications.notifications "
        + "WHERE recipient_identifier = 'stats@example.sn' AND status = 'sent'").execute()).iterator().next().getLong(0) == 1);
    JsonObject r = Await.result(Bus.call(app.vertx(), "wolo.notification.analytics", new JsonObject().put("date", "2027-03-01")));
    assertTrue(r.getInteger("rows") >= 1);
    Row stats = Await.result(app.sql().query("SELECT sent_count FROM notifications.notification_analytics "
        + "WHERE date = '2027-03-01' AND template_key = 'pot_funded' AND channel = 'email'").execute()).iterator().next();
    assertTrue(stats.getInteger("sent_count") >= 1);
    JsonObject again = Await.result(Bus.call(app.vertx(), "wolo.notification.analytics", new JsonObject().put("date", "2027-03-01")));
    assertEquals(r.getInteger("rows"), again.getInteger("rows"), "idempotent per day");
  }

  @Test
  void anOptedOutChannelIsRespected() {
    JsonObject user = otpLogin("+221770000444");
    app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Sans Sms").put("date_of_birth", "1990-01-01")
        .put("notification_preferences", new JsonObject().put("sms_enabled", false)), user.getString("access_token"));
    JsonObject r = send(new JsonObject().put("template_key", "pot_funded").put("channel", "sms").put("recipient", "+221770000444")
        .put("user_id", user.getString("user_id")).put("data", new JsonObject().put("pot_title", "x").put("target", 1)));
    assertEquals("channel_disabled", r.getString("skipped"));
  }

  @Test
  void emailIsDeliveredOverSmtpWithTextAndHtml() throws Exception {
    int before = smtp.getReceivedMessages().length;
    send(new JsonObject().put("template_key", "pot_funded").put("channel", "email").put("recipient", "awa@example.sn")
        .put("data", new JsonObject().put("pot_title", "Mes 25 ans").put("target", 75000)));
    assertTrue(smtp.waitForIncomingEmail(10_000, before + 1));
    MimeMessage mail = smtp.getReceivedMessages()[before];
    assertEquals("Objectif atteint !", mail.getSubject());
    assertEquals("awa@example.sn", mail.getAllRecipients()[0].toString());
    String raw = GreenMailUtil.getWholeMessage(mail);
    assertTrue(raw.contains("Mes 25 ans"));
    assertTrue(raw.contains("text/html"));
  }

  @Test
  void twoSendersNeverSendTheSameMessageTwice() {
    int before = sms.received.size();
    var sql = app.sql();
    UUID template = Await.result(sql.query("SELECT id FROM notifications.notification_templates WHERE template_key = 'pot_funded'").execute())
        .iterator().next().getUUID(0);
    Await.result(sql.preparedQuery("""
        INSERT INTO notifications.notifications (recipient_identifier, template_id, channel, body, status, scheduled_at)
        SELECT '+2217799' || lpad(g::text, 5, '0'), $1, 'sms', 'bulk ' || g, 'pending', $2 FROM generate_series(1, 300) g""")
        .execute(Tuple.of(template, OffsetDateTime.parse("2027-03-01T11:00:00Z"))));
    var pool = sn.wolo.platform.db.Pools.create(app.vertx(), app.context().config());
    Channels channels = new Channels(app.vertx(), app.context().config(), new Devices(pool), clock);
    Sender a = new Sender(pool, channels, new sn.wolo.notification.channel.ChannelHealth(channels), clock, 30, 300);
    Sender b = new Sender(pool, channels, new sn.wolo.notification.channel.ChannelHealth(channels), clock, 30, 300);
    var sa = new DueWorkSweeper(app.vertx(), pool, "a", 25, a::claimBatch);
    var sb = new DueWorkSweeper(app.vertx(), pool, "b", 25, b::claimBatch);
    Await.result(Future.all(sa.sweep(), sb.sweep()), 60);
    Eventually.until("all sent", () -> Await.result(sql.query(
        "SELECT count(*) FROM notifications.notifications WHERE body LIKE 'bulk %' AND status = 'sent'").execute()).iterator().next().getLong(0) == 300);
    var bulk = sms.received.subList(before, sms.received.size()).stream().filter(m -> m.getString("text").startsWith("bulk ")).toList();
    assertEquals(300, bulk.size());
    assertEquals(300, bulk.stream().map(m -> m.getString("reference")).distinct().count(), "no message twice");
    Await.result(pool.close());
  }
}
