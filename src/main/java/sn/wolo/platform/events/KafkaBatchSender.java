package sn.wolo.platform.events;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sends one relay batch to Kafka as ONE Kafka transaction: consumers reading {@code read_committed}
 * see the whole batch, in outbox order, or nothing of it. Without it, an outage could expire the
 * first records of a batch while later ones were still delivered once the broker came back — the
 * retried batch then arrived after them, out of order per aggregate (KafkaOutageTest caught it).
 * A failed batch closes the producer at once (nothing queued behind the failure is sent); the next
 * batch starts a new producer with the same transactional id, which aborts the unfinished transaction.
 * Blocking: called from the relay's ordered worker tasks only, never concurrently.
 */
final class KafkaBatchSender {

  private final Map<String, Object> props;
  private KafkaProducer<String, String> producer;

  KafkaBatchSender(KafkaSettings.Connection kafka) {
    props = new HashMap<>(KafkaSettings.producer(kafka, "wolo-outbox-relay"));
    // One id per process: the database's relay lock already makes one relay active at a time.
    props.put("transactional.id", "wolo-outbox-relay-" + UUID.randomUUID());
    props.put("max.block.ms", "10000");
  }

  /** {@code traces}: each event's W3C traceparent (or null), sent as the record's {@code traceparent} header. */
  void send(List<DomainEvent> events, List<String> traces) {
    try {
      if (producer == null) {
        producer = new KafkaProducer<>(props);
        producer.initTransactions();
      }
      producer.beginTransaction();
      for (int i = 0; i < events.size(); i++) {
        DomainEvent e = events.get(i);
        ProducerRecord<String, String> record = new ProducerRecord<>(e.kafkaTopic(), e.aggregateId(), e.toJson().encode());
        if (traces.get(i) != null) record.headers().add("traceparent", traces.get(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        producer.send(record);
      }
      producer.commitTransaction();   // flushes and waits for every acknowledgement
    } catch (RuntimeException e) {
      discard();
      throw e;
    }
  }

  void close(Duration timeout) {
    if (producer != null) producer.close(timeout);
    producer = null;
  }

  private void discard() {
    close(Duration.ZERO);
  }
}
