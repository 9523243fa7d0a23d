package sn.wolo.platform.events;

import sn.wolo.platform.config.WoloConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Kafka client properties derived from WOLO_KAFKA_BOOTSTRAP; absent means "no Kafka". */
public final class KafkaSettings {

  private KafkaSettings() {
  }

  public static Optional<String> bootstrap(WoloConfig config) {
    return config.optional("kafka.bootstrap");
  }

  /** A durable, ordered producer: acks from all replicas, idempotence on, string key and JSON value. */
  public static Map<String, String> producer(String bootstrap, String clientId) {
    Map<String, String> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("client.id", clientId);
    p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    p.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("linger.ms", "5");
    p.put("delivery.timeout.ms", "30000");
    p.put("request.timeout.ms", "10000");
    return p;
  }

  public static Map<String, String> admin(String bootstrap) {
    Map<String, String> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("request.timeout.ms", "3000");
    p.put("default.api.timeout.ms", "3000");
    return p;
  }
}
