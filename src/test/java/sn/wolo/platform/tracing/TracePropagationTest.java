package sn.wolo.platform.tracing;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.KafkaTestBroker;
import sn.wolo.testing.TestApp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: a client's W3C {@code traceparent} follows its request across the edge, the event bus,
 * the outgoing call to Wave and, through the outbox, into the Kafka record's headers.
 */
class TracePropagationTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
  private static KafkaTestBroker kafka;
  private static TestApp app;

  @BeforeAll
  static void start() {
    kafka = KafkaTestBroker.start();
    app = TestApp.start(Map.of("kafka.bootstrap", kafka.bootstrap()), java.time.Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    app.close();
    kafka.close();
  }

  @Test
  void aClientsTraceReachesWaveAndKafka() {
    String token = app.accounts().otpLogin("+221770909001").getString("access_token");
    String dob = LocalDate.now(ZoneId.of("Africa/Dakar")).plusDays(10).withYear(1991).toString();
    assertEquals(200, app.http().put("/v1/me/profile", new JsonObject().put("full_name", "Aissatou Ba").put("date_of_birth", dob), token)
        .statusCode());
    var pot = Await.result(app.client().post("/v1/pots").putHeader("Authorization", "Bearer " + token).putHeader("traceparent", TRACEPARENT)
        .sendJsonObject(new JsonObject().put("title", "Traces").put("target_amount_cfa", 20_000).put("visibility", "public")));
    assertEquals(201, pot.statusCode(), pot.bodyAsString());
    String potId = pot.bodyAsJsonObject().getString("id");

    // Into Wave: the checkout session is created under the client's trace.
    var donation = Await.result(app.client().post("/v1/pots/" + potId + "/donations").putHeader("traceparent", TRACEPARENT)
        .sendJsonObject(new JsonObject().put("amount_cfa", 2_000)));
    assertEquals(201, donation.statusCode(), donation.bodyAsString());
    String sent = app.wave().traceparentOf(donation.bodyAsJsonObject().getString("id"));
    assertNotNull(sent, "Wave received no traceparent");
    assertEquals(TRACE_ID, sent.split("-")[1], "same trace, a child span: " + sent);

    // Into Kafka: the pot.created event's record carries it in its headers.
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrap());
    p.put("group.id", "trace-test-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    p.put("isolation.level", "read_committed");
    ConsumerRecord<String, String> created = null;
    try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("wolo.pot.events"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (created == null && System.nanoTime() < deadline) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          if (potId.equals(r.key()) && "pot.created".equals(new JsonObject(r.value()).getString("type"))) created = r;
        }
      }
    }
    assertNotNull(created, "pot.created never reached Kafka");
    Header header = created.headers().lastHeader("traceparent");
    assertNotNull(header, "no traceparent header on the record");
    String value = new String(header.value(), StandardCharsets.US_ASCII);
    assertTrue(value.startsWith("00-" + TRACE_ID + "-"), value);

    // Without a client trace the server starts its own: still a valid, different trace.
    var untraced = Await.result(app.client().post("/v1/pots/" + potId + "/donations").sendJsonObject(new JsonObject().put("amount_cfa", 2_500)));
    String own = app.wave().traceparentOf(untraced.bodyAsJsonObject().getString("id"));
    assertTrue(own == null || !own.contains(TRACE_ID), own);
  }
}
