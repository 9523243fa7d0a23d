package sn.wolo.platform.events;

import sn.wolo.platform.config.WoloConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Kafka client properties derived from WOLO_KAFKA_BOOTSTRAP (absent means "no Kafka") and the
 * connection's security: TLS with a PEM CA ({@code WOLO_KAFKA_SECURITY_PROTOCOL=SSL},
 * {@code WOLO_KAFKA_SSL_CA_LOCATION}) and SCRAM-SHA-512 users ({@code SASL_SSL}, the Strimzi
 * {@code KafkaUser}'s name and password).
 */
public final class KafkaSettings {

  private static final java.util.Set<String> PROTOCOLS = java.util.Set.of("PLAINTEXT", "SSL", "SASL_SSL");

  /** Where Kafka is and how to connect to it. */
  public record Connection(String bootstrap, Map<String, String> security) {
  }

  private KafkaSettings() {
  }

  public static Optional<Connection> bootstrap(WoloConfig config) {
    return config.optional("kafka.bootstrap").map(b -> new Connection(b, security(config)));
  }

  static Map<String, String> security(WoloConfig config) {
    String protocol = config.string("kafka.security-protocol").toUpperCase(java.util.Locale.ROOT);
    if (!PROTOCOLS.contains(protocol)) throw new IllegalArgumentException("WOLO_KAFKA_SECURITY_PROTOCOL is one of " + PROTOCOLS);
    Map<String, String> s = new HashMap<>();
    s.put("security.protocol", protocol);
    config.optional("kafka.ssl-ca-location").ifPresent(ca -> {
      s.put("ssl.truststore.type", "PEM");
      s.put("ssl.truststore.location", ca);
    });
    if (protocol.equals("SASL_SSL")) {
      String user = config.optional("kafka.sasl-username")
          .orElseThrow(() -> new IllegalArgumentException("WOLO_KAFKA_SECURITY_PROTOCOL=SASL_SSL needs WOLO_KAFKA_SASL_USERNAME"));
      String password = config.optional("kafka.sasl-password")
          .orElseThrow(() -> new IllegalArgumentException("WOLO_KAFKA_SECURITY_PROTOCOL=SASL_SSL needs WOLO_KAFKA_SASL_PASSWORD"));
      s.put("sasl.mechanism", "SCRAM-SHA-512");
      s.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
          + user.replace("\"", "") + "\" password=\"" + password.replace("\"", "") + "\";");
    }
    return Map.copyOf(s);
  }

  /** A durable, ordered producer: acks from all replicas, idempotence on, string key and JSON value. */
  public static Map<String, String> producer(Connection kafka, String clientId) {
    Map<String, String> p = new HashMap<>(kafka.security());
    p.put("bootstrap.servers", kafka.bootstrap());
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

  public static Map<String, String> admin(Connection kafka) {
    Map<String, String> p = new HashMap<>(kafka.security());
    p.put("bootstrap.servers", kafka.bootstrap());
    p.put("request.timeout.ms", "3000");
    p.put("default.api.timeout.ms", "3000");
    return p;
  }
}
