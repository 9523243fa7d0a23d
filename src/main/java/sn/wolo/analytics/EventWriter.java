package sn.wolo.analytics;

import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.Times;
import sn.wolo.platform.db.Columns;
import sn.wolo.platform.db.GroupCommit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes analytics events with group commit ({@link GroupCommit}): one multi-row {@code INSERT …
 * SELECT FROM unnest(…)} carries the events of many requests, each acknowledged once committed. Then (when Kafka is configured) they are published to {@code wolo.analytics.events},
 * keyed by user or anonymous id; Kafka is a copy — the table is the record, so a Kafka failure is
 * logged, not retried into duplicates. One instance per event loop.
 */
final class EventWriter {

  static final String TOPIC = "wolo.analytics.events";
  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
  private static final String INSERT = """
      INSERT INTO analytics.analytics_events (id, event_name, event_category, user_id, session_id, anonymous_id, properties,
          "timestamp", ip_address, user_agent, referrer, page_url, platform, device_type, os, browser, country, region)
      SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::uuid[], $5::varchar[], $6::varchar[], $7::text[]::jsonb[],
          $8::timestamptz[], $9::text[]::inet[], $10::text[], $11::varchar[], $12::varchar[], $13::varchar[], $14::varchar[],
          $15::varchar[], $16::varchar[], $17::varchar[], $18::varchar[])""";
  // Domain events may be delivered again (at least once): their event id makes a replay a no-op.
  // Client events get a fresh id here, so they skip the conflict check (a speculative insertion per row).
  private static final String INSERT_REPLAYABLE = INSERT + " ON CONFLICT DO NOTHING";

  private final Pool pool;
  private final String insert;
  private final KafkaProducer<String, String> kafka;
  private final GroupCommit<List<AnalyticsEvent>, Void> commits;

  /** {@code replayable}: the same event may be written again (domain events), and is then ignored. */
  EventWriter(Pool pool, KafkaProducer<String, String> kafka, int maxBatch, boolean replayable) {
    this.pool = pool;
    this.insert = replayable ? INSERT_REPLAYABLE : INSERT;
    this.kafka = kafka;
    this.commits = new GroupCommit<>(maxBatch, List::size, this::writeBatch);
  }

  /** Completes when committed. */
  Future<Void> write(List<AnalyticsEvent> events) {
    return events.isEmpty() ? Future.succeededFuture() : commits.submit(events);
  }

  /** One insert for all the requests of a batch, then the Kafka copy; one (empty) result per request. */
  private Future<List<Void>> writeBatch(List<List<AnalyticsEvent>> requests) {
    List<AnalyticsEvent> all = new ArrayList<>();
    requests.forEach(all::addAll);
    return insert(all, true).map(v -> {
      publish(all);
      return java.util.Collections.<Void>nCopies(requests.size(), null);
    });
  }

  /**
   * Inserts; an event in a month without partition (a clock far ahead of the partition job, a
   * domain event replayed late) creates that month's partition once and retries.
   */
  private Future<Void> insert(List<AnalyticsEvent> events, boolean retry) {
    return pool.preparedQuery(insert).execute(columns(events)).<Void>mapEmpty().recover(e -> {
      if (!retry || !(e instanceof io.vertx.pgclient.PgException pg) || !"23514".equals(pg.getSqlState())) return Future.failedFuture(e);
      java.util.Set<java.time.LocalDate> months = new java.util.TreeSet<>();
      events.forEach(ev -> months.add(java.time.LocalDate.ofInstant(ev.timestamp(), ZoneOffset.UTC).withDayOfMonth(1)));
      Future<Void> chain = Future.succeededFuture();
      for (java.time.LocalDate month : months) {
        chain = chain.compose(v -> pool.preparedQuery("SELECT analytics.ensure_event_partitions($1, 1)").execute(Tuple.of(month)).mapEmpty());
      }
      return chain.compose(v -> insert(events, false));
    });
  }

  private void publish(List<AnalyticsEvent> events) {
    if (kafka == null) return;
    for (AnalyticsEvent e : events) {
      kafka.send(KafkaProducerRecord.create(TOPIC, e.partitionKey(), e.toJson().encode()))
          .onFailure(err -> log.warn("analytics event not copied to Kafka: {}", err.toString()));
    }
  }

  private static Tuple columns(List<AnalyticsEvent> events) {
    return Tuple.from(new Object[] {Columns.of(events, UUID.class, AnalyticsEvent::id), Columns.of(events, String.class, AnalyticsEvent::name),
        Columns.of(events, String.class, AnalyticsEvent::category), Columns.of(events, UUID.class, AnalyticsEvent::userId),
        Columns.of(events, String.class, AnalyticsEvent::sessionId), Columns.of(events, String.class, AnalyticsEvent::anonymousId),
        Columns.of(events, String.class, AnalyticsEvent::propertiesJson), Columns.of(events, OffsetDateTime.class, e -> Times.utc(e.timestamp())),
        Columns.of(events, String.class, AnalyticsEvent::ipAddress), Columns.of(events, String.class, AnalyticsEvent::userAgent),
        Columns.of(events, String.class, AnalyticsEvent::referrer), Columns.of(events, String.class, AnalyticsEvent::pageUrl),
        Columns.of(events, String.class, AnalyticsEvent::platform), Columns.of(events, String.class, AnalyticsEvent::deviceType),
        Columns.of(events, String.class, AnalyticsEvent::os), Columns.of(events, String.class, AnalyticsEvent::browser),
        Columns.of(events, String.class, AnalyticsEvent::country), Columns.of(events, String.class, AnalyticsEvent::region)});
  }
}
