package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.channel.ChannelHealth;
import sn.wolo.notification.channel.Channels;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.scheduling.DueWorkSweeper;

import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Notifications: templated SMS, WhatsApp and email with preferences, quiet hours, retries and
 * delivery tracking (schema notifications).
 *
 * <p>Other domains use its contract {@link Notifications} (send, preferences). Its own addresses
 * ({@code wolo.notification.*}): {@code recent} lists a recipient's latest messages (dev page);
 * {@code sweep} sends what is due now; {@code analytics} fills a day of
 * {@code notification_analytics}. The sender ({@link Sender}) drains the queue on a timer and when
 * nudged after an enqueue; providers come from configuration, the sandbox otherwise.
 */
public final class NotificationVerticle extends DomainVerticle {

  public static final String DOMAIN = "notification";
  public static final String RECENT = Addresses.request(DOMAIN, "recent");
  /** Local: something was queued, send now rather than at the next tick. */
  static final String NUDGE = Addresses.request(DOMAIN, "nudge");
  private static final Logger log = LoggerFactory.getLogger(NotificationVerticle.class);

  public static String address(String verb) {
    return Addresses.request(DOMAIN, verb);
  }

  public NotificationVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    NotificationSettings settings = NotificationSettings.from(app.config());
    var config = app.config();
    Preferences preferences = new Preferences(pool);
    Enqueuer enqueuer = new Enqueuer(vertx, pool, app.clock(), preferences);
    Devices devices = new Devices(pool);
    Channels channels = new Channels(vertx, config, devices, app.clock());
    ChannelHealth channelHealth = new ChannelHealth(channels);
    Sender sender = new Sender(pool, channels, channelHealth, app.clock(), settings.retryBaseSeconds(),
        settings.leaseSeconds());
    DueWorkSweeper sending = new DueWorkSweeper(vertx, pool, "notification-sender", settings.batch(),
        sender::claimBatch).start(Duration.ofMillis(settings.sweepMs()));
    NotificationAnalytics analytics = new NotificationAnalytics(pool, app.clock());
    log.info("notification channels: {}", channels.description());

    TypedBus.bind(vertx, Notifications.class, new NotificationsEndpoint(enqueuer, preferences));
    Bus.serve(vertx, RECENT, new MessageLog(pool)::recent);
    Bus.serve(vertx, address("devices-register"), req -> devices.register(UUID.fromString(req.getString("user_id")), req.getString("platform"),
        req.getString("token"), sn.wolo.platform.Times.now(app.clock())));
    Bus.serve(vertx, address("devices-mine"), req -> devices.mine(UUID.fromString(req.getString("user_id"))));
    Bus.serve(vertx, address("devices-remove"), req -> devices.remove(UUID.fromString(req.getString("user_id")),
        UUID.fromString(req.getString("device_id"))).map(new JsonObject()));
    NotificationErasure erasure = new NotificationErasure(vertx, pool);
    react("notification.erasure", java.util.Set.of("identity.user_erased"), e -> erasure.erase(UUID.fromString(e.payload().getString("user_id"))));
    // The providers' health since the last look, for the admin's health history (no message sent to probe).
    Bus.serve(vertx, Addresses.dependencies(DOMAIN), req -> Future.succeededFuture(channelHealth.snapshotAndReset()));
    Bus.serve(vertx, Addresses.request(DOMAIN, "sweep"), req -> sending.sweep().map(n -> new JsonObject().put("claimed", n)));
    Bus.serve(vertx, Addresses.request(DOMAIN, "analytics"), req -> analytics.compute(LocalDate.parse(req.getString("date")))
        .map(n -> new JsonObject().put("rows", n)));
    Bus.serve(vertx, Addresses.request(DOMAIN, "delivery-status"), new DeliveryStatus(pool, app.clock())::apply);
    vertx.eventBus().localConsumer(NUDGE, msg -> sending.sweep());
    EventReactions reactions = new EventReactions(vertx, settings.publicBaseUrl(), devices);
    reactInBatches(EventReactions.CONSUMER, EventReactions.EVENTS, sn.wolo.platform.events.DomainEvent::aggregateId, reactions::handleAll);
    vertx.setPeriodic(Duration.ofMinutes(5).toMillis(), id -> analytics.runForYesterday()
        .onFailure(e -> log.warn("notification analytics failed, retried later: {}", e.toString())));
    // A digest's entries are needed while it may still grow (a week at most).
    vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> sn.wolo.platform.scheduling.DailyJobs.runForYesterday(pool, app.clock(),
            "notification_digest_entries", day -> Digests.purgeEntries(pool, app.clock().instant().minus(Duration.ofDays(8))))
        .onFailure(e -> log.warn("digest entries purge failed, retried later: {}", e.toString())));
    return Future.succeededFuture();
  }

  @Override
  protected Future<JsonObject> exportUserData(String userId) {
    return new MessageLog(pool).export(UUID.fromString(userId));
  }
}
