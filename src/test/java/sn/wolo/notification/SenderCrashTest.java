package sn.wolo.notification;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.ChildServer;
import sn.wolo.testing.Eventually;
import sn.wolo.testing.TestDatabases;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sender is at least once, and a crash re-sends only what was in flight: the server is killed
 * (SIGKILL) while one message of a claimed batch waits for its provider's answer and the others were
 * answered. After a restart the message in flight is sent again (its lease ran out); the answered
 * ones were recorded when their answers came and are never sent twice.
 */
class SenderCrashTest {

  private static final String ANSWERED_1 = "+221770004001";
  private static final String ANSWERED_2 = "+221770004002";
  private static final String IN_FLIGHT = "+221770004003";

  @Test
  void aServerKilledWhileASendIsInFlightSendsItAgainAfterRestartAndNothingElseTwice() {
    var db = TestDatabases.migrated();
    Vertx vertx = Vertx.vertx();
    FakeSmsGateway sms = new FakeSmsGateway(vertx, "sms-key");
    Promise<Void> neverAnswered = Promise.promise();
    sms.answerHeldFor.put(IN_FLIGHT, neverAnswered);
    Pool sql = Pool.pool(vertx, db.connectOptions(), new PoolOptions().setMaxSize(2));
    // Three messages due at once: the sender claims them in one batch.
    Await.result(sql.query("""
        INSERT INTO notifications.notifications (recipient_identifier, template_id, channel, body, template_data)
        SELECT r, (SELECT id FROM notifications.notification_templates WHERE template_key = 'pot_closed' ORDER BY locale LIMIT 1),
               'sms', 'Votre cagnotte est clôturée', '{"pot_title": "Cagnotte", "raised": 1000}'
        FROM unnest(ARRAY['%s', '%s', '%s']) AS r""".formatted(ANSWERED_1, ANSWERED_2, IN_FLIGHT)).execute());
    Map<String, String> env = Map.of("WOLO_DB_URL", db.url(), "WOLO_NOTIFICATION_SMS_BASE_URL", "http://127.0.0.1:" + sms.port(),
        "WOLO_NOTIFICATION_SMS_API_KEY", "sms-key", "WOLO_NOTIFICATION_SWEEP_MS", "100", "WOLO_NOTIFICATION_LEASE_SECONDS", String.valueOf(NotificationSettings.MIN_LEASE_SECONDS));
    ChildServer first = ChildServer.spawn("sender-crash", env).awaitReady(Duration.ofSeconds(90));
    try {
      try {
        Eventually.until("the answered ones recorded sent, the third handed to the gateway", () ->
            status(sql, ANSWERED_1).equals("sent") && status(sql, ANSWERED_2).equals("sent") && received(sms, IN_FLIGHT) == 1);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + " (messages: " + statuses(sql) + "; the gateway received " + sms.received + ")", e);
      }
      assertEquals("pending", status(sql, IN_FLIGHT), "its provider has not answered");
      first.kill9();
    } finally {
      first.close();
    }
    sms.answerHeldFor.remove(IN_FLIGHT);   // the gateway answers the second attempt

    try (ChildServer second = ChildServer.spawn("sender-after-crash", env).awaitReady(Duration.ofSeconds(90))) {
      Eventually.until("the message in flight sent again and recorded", () -> status(sql, IN_FLIGHT).equals("sent"));
      assertEquals(2, received(sms, IN_FLIGHT), "in flight at the crash: sent again (at least once)");
      assertEquals(1, received(sms, ANSWERED_1), "recorded before the crash: sent once");
      assertEquals(1, received(sms, ANSWERED_2), "recorded before the crash: sent once");
    } finally {
      neverAnswered.tryComplete();
      Await.result(sql.close());
      Await.result(vertx.close());
    }
  }

  private static String status(Pool sql, String recipient) {
    return Await.result(sql.preparedQuery("SELECT status FROM notifications.notifications WHERE recipient_identifier = $1")
        .execute(Tuple.of(recipient))).iterator().next().getString(0);
  }

  private static String statuses(Pool sql) {
    return Await.result(sql.query("SELECT string_agg(recipient_identifier || ' ' || status || ' ' || retry_count || ' ' || COALESCE(error_message, ''), '; ')"
        + " FROM notifications.notifications").execute()).iterator().next().getString(0);
  }

  private static long received(FakeSmsGateway sms, String recipient) {
    List<io.vertx.core.json.JsonObject> all = List.copyOf(sms.received);
    return all.stream().filter(m -> recipient.equals(m.getString("to"))).count();
  }
}
