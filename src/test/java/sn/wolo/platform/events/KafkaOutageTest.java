package sn.wolo.platform.events;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.testing.Await;
import sn.wolo.testing.KafkaTestBroker;
import sn.wolo.testing.TestApp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka broker stopped for 30 s ({@code -Dwolo.kafka.outage-seconds}) while events keep being
 * written: the API stays ready, the outbox holds every event, and after the broker returns all of
 * them reach Kafka — each aggregate's events in the order they were written (duplicates allowed:
 * at-least-once; consumers dedupe on event_id).
 */
class KafkaOutageTest {

  private static final int OUTAGE_SECONDS = Integer.getInteger("wolo.kafka.outage-seconds", 30);
  private static final int AGGREGATES = 5;
  private static KafkaTestBroker kafka;
  private static TestApp app;

  @BeforeAll
  static void start() {
    kafka = KafkaTestBroker.start();
    app = TestApp.start(Map.of("kafka.bootstrap", kafka.bootstrap(), "outbox.poll-ms", "50"), java.time.Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    app.close();
    kafka.close();
  }

  @Test
  void theOutboxHoldsEveryEventThroughAnOutageAndRelaysThemInOrderPerAggregate() {
    String run = "run" + System.nanoTime();
    int[] seq = new int[AGGREGATES];
    write(run, seq, 50);
    awaitUnpublished(0, Duration.ofSeconds(60));

    kafka.stop();
    long until = System.nanoTime() + Duration.ofSeconds(OUTAGE_SECONDS).toNanos();
    int written = 50;
    boolean heldSeen = false;
    while (System.nanoTime() < until) {
      if (written < 5_000) {
        write(run, seq, 20);   // load during the outage; each write is one committed transaction
        written += 20;
        heldSeen |= unpublished() > 0;
      } else {
        // The rest of the outage: the API must stay ready all along.
        assertEquals(200, app.http().get("/health/ready", null).statusCode(), "the API stays ready without Kafka");
      }
    }
    assertTrue(heldSeen, "the outbox held events while Kafka was away");
    assertTrue(unpublished() > 0, "still held at the end of the outage");
    assertEquals(200, app.http().get("/health/ready", null).statusCode(), "the API stays ready without Kafka");
    kafka.restart();
    awaitUnpublished(0, Duration.ofSeconds(120));

    Map<String, List<Integer>> byAggregate = consume(run, written);
    int distinct = 0;
    for (int a = 0; a < AGGREGATES; a++) {
      List<Integer> got = byAggregate.getOrDefault(run + "-" + a, List.of());
      List<Integer> expected = new ArrayList<>();
      for (int i = 1; i <= seq[a]; i++) expected.add(i);
      assertEquals(expected, got, "aggregate " + a + ": every event, in order");
      distinct += got.size();
    }
    assertEquals(written, distinct);
  }

  private static void write(String run, int[] seq, int n) {
    List<DomainEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int a = i % AGGREGATES;
      events.add(DomainEvent.of("pot.kafka_probe", "pot", run + "-" + a, new JsonObject().put("seq", ++seq[a]), Instant.now()));
    }
    Await.result(app.sql().withTransaction(tx -> Outbox.appendAll(tx, events)));
  }

  private static long unpublished() {
    return Await.result(app.sql().query("SELECT count(*) FROM platform.outbox WHERE published_at IS NULL").execute()).iterator().next().getLong(0);
  }

  private static void awaitUnpublished(long n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (unpublished() != n) {
      if (System.nanoTime() > deadline) throw new AssertionError("outbox not drained: " + unpublished() + " left");
      Thread.onSpinWait();
    }
  }

  /** Reads the topic from the start, keeps the first occurrence of each event id, groups the seqs per aggregate. */
  private static Map<String, List<Integer>> consume(String run, int expected) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrap());
    p.put("group.id", "outage-" + System.nanoTime());
    p.put("isolation.level", "read_committed");   // the relay writes each batch as one Kafka transaction
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    Map<String, List<Integer>> out = new HashMap<>();
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of("wolo.pot.events"));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (seen.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          JsonObject e = new JsonObject(r.value());
          if (!r.key().startsWith(run) || !seen.add(e.getString("event_id"))) continue;
          out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(e.getJsonObject("payload").getInteger("seq"));
        }
      }
    }
    return out;
  }
}
