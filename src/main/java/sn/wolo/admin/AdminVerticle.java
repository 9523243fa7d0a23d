package sn.wolo.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.admin.audit.AuditFilter;
import sn.wolo.admin.audit.AuditRetention;
import sn.wolo.admin.audit.AuditTrail;
import sn.wolo.admin.config.SystemConfig;
import sn.wolo.admin.flags.FeatureFlags;
import sn.wolo.admin.flags.FlagCache;
import sn.wolo.admin.health.HealthHistory;
import sn.wolo.admin.sessions.AdminSessions;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.audit.AdminReads;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.audit.AuditRows;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.config.RuntimeSettings;
import sn.wolo.platform.db.SignalledReload;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.EventConsumer;
import sn.wolo.platform.events.EventDeliveries;
import sn.wolo.platform.events.KafkaSettings;
import sn.wolo.platform.scheduling.DailyJobs;
import sn.wolo.platform.security.AdminGate;
import sn.wolo.platform.security.KeyRing;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Administration: feature flags, system configuration, audit log, admin sessions (schema admin).
 * So far the audit trail: written from {@code donation.refunded}, {@code profile.id_verified} and
 * {@code identity.user_erased} events; read with {@code wolo.admin.audit-logs}
 * {@code {"resource_type"?,"resource_id"?,"limit"?}}.
 */
public final class AdminVerticle extends DomainVerticle {

  public static final String DOMAIN = "admin";
  private static final Logger log = LoggerFactory.getLogger(AdminVerticle.class);

  public static String address(String verb) {
    return Addresses.request(DOMAIN, verb);
  }

  private long integrityTimer = -1;
  private FlagCache flagCache;
  private SignalledReload configCopy;
  private KafkaAdminClient kafkaAdmin;
  private long healthTimer = -1;
  private long auditRetentionTimer = -1;

  public AdminVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> stopDomain() {
    vertx.cancelTimer(integrityTimer);
    if (flagCache != null) flagCache.stop();
    if (configCopy != null) configCopy.stop();
    vertx.cancelTimer(healthTimer);
    vertx.cancelTimer(auditRetentionTimer);
    if (kafkaAdmin != null) return kafkaAdmin.close();
    return Future.succeededFuture();
  }

  /** Flags are kept per environment; this process evaluates those of its profile's. */
  public static String flagEnvironment(sn.wolo.platform.config.WoloConfig config) {
    return config.isDev() ? "development" : "production";
  }

  @Override
  protected Future<?> startDomain() {
    AdminSettings adminSettings = AdminSettings.from(app.config());
    AuditTrail audit = new AuditTrail(pool);
    // Changes made elsewhere that the trail records from their events (identity's admin actions are
    // audited in their own transaction, like every admin request by the gate).
    consume("admin.audit", Set.of("profile.id_verified", "identity.user_erased", "settlement.paid", "redemption.suspicious_scans"),
        (tx, e) -> switch (e.type()) {
      case "settlement.paid" -> audit.record(tx, e, "settlement_paid", "settlement", e.payload().getString("settlement_id"), null, null);
      case "redemption.suspicious_scans" -> audit.record(tx, e, "suspicious_qr_scans", "user", e.payload().getString("partner_user_id"),
          null, "failed QR scans above the alert threshold");
      case "profile.id_verified" -> audit.record(tx, e, "id_verified", "user", e.payload().getString("user_id"),
          e.payload().getString("verified_by"), null);
      case "identity.user_erased" -> audit.record(tx, e, "user_erased", "user", e.payload().getString("user_id"),
          e.payload().getString("user_id"), "right to erasure");
      // Refunds and gift cancellations are audited in their own transactions now; a delivery made
      // before that change is acknowledged without a second row.
      default -> io.vertx.core.Future.<Void>succeededFuture();
    });
    // Delivery guarantees, visible: backlog per consumer, parked events, "retry this one".
    Bus.serve(vertx, address("events"), req -> EventDeliveries.overview(pool, Math.max(1, Math.min(req.getInteger("limit", 100), 500))));
    Bus.serve(vertx, address("retry-event"), req -> EventDeliveries.retry(pool, req.getString("consumer"), UUID.fromString(req.getString("event_id")))
        .map(retried -> {
          if (!retried) throw DomainException.notFound("parked_event_not_found", "No parked delivery of this event to this consumer.");
          vertx.eventBus().publish(EventConsumer.DELIVERIES_READY, null);
          return new JsonObject().put("retried", true);
        }));
    IntegrityCheck integrity = new IntegrityCheck(pool, adminSettings.integrityStaleMinutes());
    Bus.serve(vertx, address("integrity-run"), req -> integrity.run());
    Bus.serve(vertx, address("integrity-findings"), req -> integrity.findings(Math.max(1, Math.min(req.getInteger("limit", 100), 1000))));
    integrityTimer = vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> DailyJobs.runForYesterday(pool, app.clock(), "integrity-check",
            day -> integrity.run())
        .onFailure(e -> log.warn("integrity check failed, retried later: {}", e.toString())));
    AuditRetention auditRetention = new AuditRetention(pool, app.clock(), adminSettings.auditRetentionYears());
    Bus.serve(vertx, address("audit-retention"), req -> auditRetention.run().map(n -> new JsonObject().put("deleted", n)));
    auditRetentionTimer = vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> DailyJobs.runForYesterday(pool, app.clock(),
            "audit-retention", day -> auditRetention.run())
        .onFailure(e -> log.warn("audit retention failed, retried in 10 minutes: {}", e.toString())));
    Bus.serve(vertx, AdminReads.RECORD, req -> AuditRows.append(pool, AuditContext.from(req), AuditRows.Entry.of(req.getString("action"),
            req.getString("resource_type"), UUID.fromString(req.getString("resource_id")))
        .with(new JsonObject().put("owner_user_id", req.getString("owner_user_id"))), app.clock().instant()).map(new JsonObject()));
    FeatureFlags flags = new FeatureFlags(pool);
    flagCache = new FlagCache(vertx, flags, flagEnvironment(app.config()), app.signals());
    Bus.serve(vertx, address("flags-list"), req -> flags.all(req.getString("environment", flagEnvironment(app.config())))
        .map(all -> new JsonObject().put("flags", all)));
    // The change is in this process's copy before the admin hears of it; the others hear the NOTIFY.
    Bus.serve(vertx, address("flags-save"), req -> flags.save(req.getJsonObject("flag", new JsonObject()), AuditContext.from(req))
        .compose(saved -> flagCache.reload().map(saved)));
    Bus.serve(vertx, address("flags-delete"), req -> flags.delete(req.getString("flag_key"), req.getString("environment"),
        AuditContext.from(req)).compose(deleted -> flagCache.reload().map(deleted)));
    Bus.serve(vertx, address("audit-logs"), req -> audit.page(AuditFilter.fromJson(req)));
    AdminSessions sessions = new AdminSessions(vertx, pool, app.clock(),
        adminSettings.sessionIdle(), adminSettings.sessionAbsolute());
    Bus.serve(vertx, address("session-open"), sessions::open);
    Bus.serve(vertx, AdminGate.CHECK, sessions::check);
    Bus.serve(vertx, address("session-end"), sessions::end);
    Bus.serve(vertx, address("sessions-active"), req -> sessions.active(req.getString("user_id") == null ? null : UUID.fromString(req.getString("user_id"))));
    consume("admin.sessions", Set.of("identity.user_suspended", "identity.roles_changed", "identity.user_erased"),
        (tx, e) -> sessions.endAllOf(tx, UUID.fromString(e.payload().getString("user_id"))));
    RuntimeSettings settings = new RuntimeSettings(vertx, app.config());
    SystemConfig config = new SystemConfig(pool, KeyRing.fromBase64(adminSettings.masterKey()), settings, app.clock());
    String environment = flagEnvironment(app.config());
    configCopy = new SignalledReload(vertx, app.signals(), SystemConfig.CHANGED_CHANNEL, 30_000, "runtime configuration",
        () -> config.values(environment).map(values -> {
          RuntimeSettings.replace(vertx, values);
          return (Void) null;
        }));
    Bus.serve(vertx, address("config-list"), req -> config.list(req.getString("environment")));
    // As with flags: this process's copy is current before the admin's answer; the others hear the NOTIFY.
    Bus.serve(vertx, address("config-put"), req -> config.put(req.getString("key"), req.getString("environment"), req.getValue("value"),
        req.getString("reason"), AuditContext.from(req)).compose(saved -> configCopy.reload().map(saved)));
    Bus.serve(vertx, address("config-reset"), req -> config.reset(req.getString("key"), req.getString("environment"), req.getString("reason"),
        AuditContext.from(req)).compose(saved -> configCopy.reload().map(saved)));
    kafkaAdmin = KafkaSettings.bootstrap(app.config()).map(b -> KafkaAdminClient.create(vertx, KafkaSettings.admin(b))).orElse(null);
    HealthHistory health = new HealthHistory(vertx, pool, app.clock(), kafkaAdmin);
    Bus.serve(vertx, address("health-run"), req -> health.run());
    Bus.serve(vertx, address("health-history"), req -> health.page(req.getString("service"),
        req.getString("from") == null ? null : java.time.OffsetDateTime.parse(req.getString("from")), req.getInteger("limit", 100)));
    healthTimer = vertx.setPeriodic(adminSettings.healthCheckMs(), id -> health.run()
        .onFailure(e -> log.warn("health history not recorded, next minute retries: {}", e.toString())));
    return flagCache.start().compose(v -> configCopy.start());
  }
}
