package sn.wolo.platform.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.config.WoloConfig;
import sn.wolo.platform.db.Pools;
import sn.wolo.testing.Await;
import sn.wolo.testing.KafkaTestBroker;
import sn.wolo.testing.TestDatabases;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outbox → event bus and Kafka, against a real PostgreSQL and a real (in-JVM) Kafka broker. */
class OutboxRelayTest {

  private static KafkaTestBroker kafka;
  private static Vertx vertx;
  private static WoloConfig config;
  private static Pool pool;

  @BeforeAll
  static void start() {
    kafka = KafkaTestBroker.start();
    vertx = Vertx.vertx();
    config = WoloConfig.load(Map.of(), Map.of()).with(Map.of(
        "db.url", TestDatabases.migrated().url(),
        "kafka.bootstrap", kafka.bootstrap(),
        "outbox.poll-ms", "25"));
    pool = Pools.create(vertx, config);
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
    kafka.close();
  }

  @Test
  void committedEventsReachTheBusAndKafkaAcrossARelayRestartAndRolledBackOnesNever() throws Exception {
    String potId = "pot-" + System.nanoTime();
    Set<String> onBus = ConcurrentHashMap.newKeySet();
    CountDownLatch busMarker = new CountDownLatch(1);
    vertx.eventBus().<JsonObject>consumer(Addresses.event("pot.opened"), m -> {
      onBus.add(m.body().getJsonObject("payload").getString("n"));
      if ("marker-1".equals(m.body().getJsonObject("payload").getString("n"))) busMarker.countDown();
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.event("pot.closed"), m ->
        onBus.add(m.body().getJsonObject("payload").getString("n")));

    // Written before any relay runs: committed, rolled back, committed marker.
    commit(event(potId, "pot.opened", "committed-1"));
    rollback(event(potId, "pot.opened", "rolled-back"));
    commit(event(potId, "pot.opened", "marker-1"));

    String first = Await.result(vertx.deployVerticle(new OutboxRelayVerticle(new sn.wolo.platform.AppContext(config, java.time.Clock.systemUTC(), pool))));
    assertTrue(busMarker.await(20, TimeUnit.SECONDS), "marker reached the bus");
    Await.result(vertx.undeploy(first));

    // Restart: events written while no relay ran are delivered by the next one.
    commit(event(potId, "pot.closed", "after-restart"));
    Await.result(vertx.deployVerticle(new OutboxRelayVerticle(new sn.wolo.platform.AppContext(config, java.time.Clock.systemUTC(), pool))));

    List<ConsumerRecord<String, String>> records = consume("wolo.pot.events", 3);
    List<String> kafkaValues = new ArrayList<>();
    for (var r : records) {
      assertEquals(potId, r.key(), "keyed by aggregate id");
      kafkaValues.add(new JsonObject(r.value()).getJsonObject("payload").getString("n"));
    }
    assertEquals(List.of("committed-1", "marker-1", "after-restart"), kafkaValues, "in commit order, rolled back absent");
    assertTrue(onBus.containsAll(List.of("committed-1", "marker-1", "after-restart")));
    assertFalse(onBus.contains("rolled-back"));
    Integer unpublished = Await.result(pool.query("SELECT count(*) FROM platform.outbox WHERE published_at IS NULL").execute())
        .iterator().next().getInteger(0);
    assertEquals(0, unpublished);
  }

  private static DomainEvent event(String potId, String type, String n) {
    return DomainEvent.of(type, "pot", potId, new JsonObject().put("n", n), Instant.now());
  }

  private static void commit(DomainEvent e) {
    Await.result(pool.withTransaction(tx -> Outbox.append(tx, e)));
  }

  private static void rollback(DomainEvent e) {
    Future<Void> f = pool.withTransaction(tx -> Outbox.append(tx, e).compose(v -> Future.failedFuture("abort")));
    try {
      Await.result(f);
    } catch (RuntimeException expected) {
      // the transaction rolled back, as intended
    }
  }

  /** Reads the topic from the beginning until {@code expected} records arrived (bounded wait). */
  private static List<ConsumerRecord<String, String>> consume(String topic, int expected) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrap());
    p.put("group.id", "outbox-test-" + System.nanoTime());
    p.put("isolation.level", "read_committed");   // the relay writes each batch as one Kafka transaction
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
