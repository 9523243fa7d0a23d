package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import sn.wolo.donation.api.Donations;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.scheduling.DailyJobs;
import sn.wolo.platform.scheduling.DueWorkSweeper;
import sn.wolo.platform.wave.WaveClient;
import sn.wolo.pot.api.Pots;

import java.time.Duration;
import java.util.UUID;

/**
 * Donations: Wave checkout, signed webhooks, reconciliation, refunds, fraud scoring (schema donations).
 *
 * <p>Other domains use its contract {@link Donations}; the other addresses ({@code wolo.donation.*})
 * serve this domain's HTTP API ({@code refund}, {@code mine}, {@code for-pot}) and operations
 * ({@code reconcile}, {@code process-webhooks-now}, {@code retention}). Events:
 * {@code donation.succeeded}, {@code donation.failed}, {@code donation.refunded}. Consumes
 * {@code pot.late_donation_refund_requested} (refund with reason failed_pot).
 */
public final class DonationVerticle extends DomainVerticle {

  public static final String DOMAIN = "donation";
  /** Local nudge after a webhook is stored: process it now rather than at the next sweep. */
  public static final String PROCESS_WEBHOOKS = Addresses.request(DOMAIN, "process-webhooks");
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DonationVerticle.class);

  public static String address(String verb) {
    return Addresses.request(DOMAIN, verb);
  }

  private DonationLists lists;

  public DonationVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    lists = new DonationLists(TypedBus.proxy(vertx, Pots.class), pool);
    Bus.serve(vertx, address("mine"), lists::mine);
    Bus.serve(vertx, address("for-pot"), lists::forPot);

    var config = app.config();
    DonationSettings settings = DonationSettings.from(config);
    WaveClient wave = new WaveClient(vertx, config);
    Settlement settlement = new Settlement(app.clock());
    DonationService donations = new DonationService(vertx, pool, settings, new sn.wolo.platform.config.RuntimeSettings(vertx, config), app.clock(), wave);
    Refunds refunds = new Refunds(pool, wave, app.clock());
    Reconciler reconciler = new Reconciler(pool, wave, settlement, app.clock(), settings.reconcileAfterSeconds());
    WebhookProcessor processor = new WebhookProcessor(pool, app.clock());
    // 500 events per settlement transaction: under a burst, smaller batches left settlement seconds
    // behind the intake (measured: 200 → every event settled 4–8 s after the burst, 500 → 0.3 s).
    DueWorkSweeper webhooks = new DueWorkSweeper(vertx, "wave-webhooks", 500, processor::sweep)
        .start(Duration.ofMillis(settings.webhookSweepMs()));

    TypedBus.bind(vertx, Donations.class, new DonationsEndpoint(pool, donations));
    DonationRetention retention = new DonationRetention(pool, app.clock(), settings.webhookPayloadRetentionDays(),
        settings.financialRetentionYears(), settings.financialRetentionAction());
    Bus.serve(vertx, address("retention"), req -> retention.run());   // operations and tests: run it now
    vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> DailyJobs.runForYesterday(pool, app.clock(), "donation-retention",
            day -> retention.run())
        .onFailure(e -> log.warn("donation retention failed, retried in 10 minutes: {}", e.toString())));
    vertx.setPeriodic(Duration.ofMinutes(5).toMillis(), id -> RiskRules.purgeCounts(pool, app.clock())
        .onFailure(e -> log.warn("pot initiation counts not purged, retried in 5 minutes: {}", e.toString())));
    DonationErasure erasure = new DonationErasure(vertx, pool, app.clock());
    react("donation.erasure", java.util.Set.of("identity.user_erased"), e -> erasure.erase(UUID.fromString(e.payload().getString("user_id"))));
    Bus.serve(vertx, sn.wolo.platform.bus.Addresses.dependencies(DOMAIN), req -> sn.wolo.platform.wave.WaveProbe.probe(wave));
    Bus.serve(vertx, address("refund"), req -> refunds.refund(uuid(req, "donation_id", "donation_not_found"),
        req.getString("admin_id") == null ? null : UUID.fromString(req.getString("admin_id")),
        req.getString("reason", "admin_action"), req.getString("description"), sn.wolo.platform.audit.AuditContext.from(req)));
    Bus.serve(vertx, address("reconcile"), req -> reconciler.run().map(n -> new JsonObject().put("settled", n)));
    Bus.serve(vertx, address("process-webhooks-now"), req -> webhooks.sweep().map(n -> new JsonObject().put("processed", n)));
    vertx.eventBus().localConsumer(PROCESS_WEBHOOKS, msg -> webhooks.sweep());
    // Durable: a refund Wave could not make now is retried with backoff, then parked for an admin.
    react("donation.late-refunds", java.util.Set.of("pot.late_donation_refund_requested"), e ->
        refunds.refund(UUID.fromString(e.payload().getString("donation_id")), null, "failed_pot", "paid after the gift was converted",
            sn.wolo.platform.audit.AuditContext.system())
            .<Void>mapEmpty()
            .recover(err -> sn.wolo.platform.bus.DomainFailure.of(err).filter(d -> "already_refunded".equals(d.code())).isPresent()
                ? Future.succeededFuture() : Future.failedFuture(err)));
    DonationAnalytics analytics = new DonationAnalytics(pool, app.clock());
    Bus.serve(vertx, address("analytics"), req -> analytics.compute(java.time.LocalDate.parse(req.getString("date"))));
    vertx.setPeriodic(Duration.ofMinutes(5).toMillis(), id -> analytics.runForYesterday()
        .onFailure(e -> log.warn("donation analytics failed, retried later: {}", e.toString())));
    vertx.setPeriodic(settings.reconcileMs(), id -> reconciler.run()
        .onFailure(e -> log.warn("reconciliation failed: {}", e.toString())));
    return Future.succeededFuture();
  }

  private static UUID uuid(JsonObject req, String field, String notFound) {
    return sn.wolo.platform.bus.Requests.uuid(req, field, notFound);
  }

  /** GDPR export: the donations the user made while signed in, and those their pots received. */
  @Override
  protected Future<JsonObject> exportUserData(String userId) {
    return lists.export(UUID.fromString(userId));
  }
}
