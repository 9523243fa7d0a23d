package sn.wolo.analytics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.db.SignalledReload;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.KafkaSettings;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;

/**
 * Analytics: event ingestion, business metrics, funnels, A/B tests (schema analytics).
 *
 * <p>Records the domains' own events (from the outbox relay) as analytics events, keeps the monthly
 * partitions ahead and within retention, runs the daily metrics and funnels, and serves the A/B
 * tests. Event bus ({@code wolo.analytics.*}): {@code ab-running}, {@code ab-create},
 * {@code ab-status}, {@code ab-results}, {@code ab-exposure}, {@code metrics}, {@code funnels},
 * {@code backfill}, {@code partitions} (maintenance now).
 */
public final class AnalyticsVerticle extends DomainVerticle {

  public static final String DOMAIN = "analytics";
  private static final Logger log = LoggerFactory.getLogger(AnalyticsVerticle.class);
  static final Set<String> DOMAIN_EVENTS = Set.of("identity.user_signed_up", "pot.created", "pot.opened", "pot.funded",
      "pot.closed", "pot.expired", "donation.succeeded", "donation.failed", "donation.refunded", "profile.guardian_accepted",
      "profile.id_verified");

  public static String address(String verb) {
    return Addresses.request(DOMAIN, verb);
  }

  public AnalyticsVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    var config = app.config();
    AnalyticsSettings settings = AnalyticsSettings.from(config);
    KafkaProducer<String, String> kafka = KafkaSettings.bootstrap(config)
        .map(b -> KafkaProducer.<String, String>createShared(vertx, "wolo-analytics", KafkaSettings.producer(b, "wolo-analytics")))
        .orElse(null);
    EventWriter writer = new EventWriter(pool, kafka, settings.writeBatchMax(), true);
    Partitions partitions = new Partitions(pool, app.clock(), settings.retentionMonths());
    BusinessMetrics metrics = new BusinessMetrics(pool, app.clock());
    AbTests ab = new AbTests(pool, app.clock(), settings.abConfidence());

    // A lane's events in one write (one multi-row insert), not one write per event.
    reactInBatches("analytics.domain-events", DOMAIN_EVENTS, DomainEvent::aggregateId,
        events -> writer.write(events.stream().map(AnalyticsVerticle::fromDomainEvent).toList()));
    AnalyticsErasure erasure = new AnalyticsErasure(pool);
    react("analytics.erasure", java.util.Set.of("identity.user_erased"),
        e -> erasure.erase(java.util.UUID.fromString(e.payload().getString("user_id"))));
    Bus.serve(vertx, address("ab-running"), req -> ab.running());
    // Running tests live in a JVM-wide map that every edge instance reads (no database read when
    // assigning). A change is applied to this process's map before the admin gets the answer; the
    // others reload theirs on its NOTIFY (within a moment) and every 30 s (heals a missed signal).
    SignalledReload running = new SignalledReload(vertx, app.signals(), AbTests.CHANGED_CHANNEL, 30_000, "running A/B tests",
        () -> reloadRunning(ab));
    Bus.serve(vertx, address("ab-create"), req -> ab.create(req).compose(r -> reloadRunning(ab).map(r)));
    Bus.serve(vertx, address("ab-status"), req -> ab.setStatus(req.getString("test_name"), req.getString("status"))
        .compose(r -> reloadRunning(ab).map(r)));
    Bus.serve(vertx, address("ab-results"), req -> ab.results(req.getString("test_name")));
    vertx.eventBus().<JsonObject>localConsumer(address("ab-exposure"), msg -> ab.recordExposure(msg.body())
        .onFailure(e -> log.debug("exposure not recorded: {}", e.toString())));
    Bus.serve(vertx, address("metrics"), req -> metrics.read(LocalDate.parse(req.getString("from")), LocalDate.parse(req.getString("to")),
        req.getString("type")).map(rows -> new JsonObject().put("metrics", rows)));
    Bus.serve(vertx, address("funnels"), req -> metrics.funnels().read(req.getString("name"), LocalDate.parse(req.getString("from")),
        LocalDate.parse(req.getString("to"))).map(rows -> new JsonObject().put("funnel", req.getString("name")).put("steps", rows)));
    Bus.serve(vertx, address("backfill"), req -> metrics.backfill(LocalDate.parse(req.getString("from")), LocalDate.parse(req.getString("to")))
        .map(days -> new JsonObject().put("days", days)));
    Bus.serve(vertx, address("partitions"), req -> partitions.ensureAhead().compose(created -> partitions.dropExpired()
        .compose(dropped -> partitions.list().map(all -> new JsonObject().put("created", created).put("dropped", dropped)
            .put("partitions", all)))));

    long hour = Duration.ofHours(1).toMillis();
    vertx.setPeriodic(hour, id -> partitions.ensureAhead().compose(n -> partitions.dropExpired())
        .onFailure(e -> log.warn("partition maintenance failed: {}", e.toString())));
    vertx.setPeriodic(Duration.ofMinutes(5).toMillis(), id -> metrics.runForYesterday()
        .onFailure(e -> log.warn("business metrics failed, retried later: {}", e.toString())));
    return partitions.ensureAhead().compose(n -> running.start());
  }

  /** The JVM-wide copy of the running A/B tests: name → {"id","traffic_allocation"}. */
  static io.vertx.core.shareddata.LocalMap<String, JsonObject> runningTests(io.vertx.core.Vertx vertx) {
    return vertx.sharedData().getLocalMap("wolo.ab-tests");
  }

  private Future<Void> reloadRunning(AbTests ab) {
    return ab.running().map(r -> {
      JsonObject tests = r.getJsonObject("tests");
      var map = runningTests(vertx);
      map.keySet().stream().filter(k -> !tests.containsKey(k)).toList().forEach(map::remove);
      tests.forEach(e -> map.put(e.getKey(), (JsonObject) e.getValue()));
      return null;
    });
  }

  /** GDPR export: the newest 10,000 events recorded about the user (most accounts have far fewer) and their A/B variants. */
  @Override
  protected Future<JsonObject> exportUserData(String userId) {
    return new AnalyticsExport(pool).of(java.util.UUID.fromString(userId));
  }

  /**
   * "pot.opened" → event "pot_opened" (identity events lose their prefix: "identity.user_signed_up" →
   * "user_signed_up"), category = the domain, the event's id (a redelivery is absorbed), server platform.
   */
  static AnalyticsEvent fromDomainEvent(DomainEvent e) {
    JsonObject p = e.payload();
    String user = p.getString("owner_user_id") != null ? p.getString("owner_user_id")
        : p.getString("donor_user_id") != null ? p.getString("donor_user_id") : p.getString("user_id");
    String name = e.type().startsWith("identity.") ? e.type().substring("identity.".length()) : e.type().replace('.', '_');
    JsonObject properties = sn.wolo.platform.privacy.PersonalFields.without(p);
    return new AnalyticsEvent(e.eventId(), name, e.domain(), user == null ? null : java.util.UUID.fromString(user), null, null,
        properties, properties.encode(), e.occurredAt(), null, null, null, null, "server", null, null, null, null, null);
  }

}
