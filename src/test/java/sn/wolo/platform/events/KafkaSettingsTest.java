package sn.wolo.platform.events;

import org.junit.jupiter.api.Test;
import sn.wolo.platform.config.WoloConfig;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17: TLS and SCRAM users for a Strimzi cluster, in every client's properties. */
class KafkaSettingsTest {

  private static WoloConfig config(Map<String, String> settings) {
    return WoloConfig.load(Map.of(), Map.of()).with(settings);
  }

  @Test
  void aScramUserOverTlsReachesEveryClient() {
    var kafka = KafkaSettings.bootstrap(config(Map.of("kafka.bootstrap", "wolo-kafka-bootstrap.kafka:9093",
        "kafka.security-protocol", "SASL_SSL", "kafka.ssl-ca-location", "/etc/kafka-ca/ca.crt",
        "kafka.sasl-username", "wolo-backend", "kafka.sasl-password", "s3cret"))).orElseThrow();
    for (Map<String, String> p : java.util.List.of(KafkaSettings.producer(kafka, "x"), KafkaSettings.admin(kafka))) {
      assertEquals("SASL_SSL", p.get("security.protocol"));
      assertEquals("PEM", p.get("ssl.truststore.type"));
      assertEquals("/etc/kafka-ca/ca.crt", p.get("ssl.truststore.location"));
      assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
      assertTrue(p.get("sasl.jaas.config").contains("username=\"wolo-backend\""));
    }
    var plain = KafkaSettings.bootstrap(config(Map.of("kafka.bootstrap", "localhost:9092"))).orElseThrow();
    assertEquals("PLAINTEXT", KafkaSettings.producer(plain, "x").get("security.protocol"));
    assertFalse(KafkaSettings.producer(plain, "x").containsKey("sasl.jaas.config"));
    assertThrows(IllegalArgumentException.class, () -> KafkaSettings.bootstrap(config(Map.of("kafka.bootstrap", "k:9093",
        "kafka.security-protocol", "SASL_SSL"))), "a user is needed");
  }
}
