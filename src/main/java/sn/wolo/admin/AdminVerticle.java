package sn.wolo.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.events.DomainEvent;

import java.util.function.Function;

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

  public AdminVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    AuditTrail audit = new AuditTrail(pool);
    on("donation.refunded", e -> audit.record(e, "refund_processed", "donation", e.payload().getString("donation_id"),
        e.payload().getString("refunded_by"), e.payload().getString("reason")));
    on("profile.id_verified", e -> audit.record(e, "id_verified", "user", e.payload().getString("user_id"),
        e.payload().getString("verified_by"), null));
    on("identity.user_erased", e -> audit.record(e, "user_erased", "user", e.payload().getString("user_id"),
        e.payload().getString("user_id"), "right to erasure"));
    Bus.serve(vertx, address("audit-logs"), req -> audit.read(req.getString("resource_type"), req.getString("resource_id"),
        Math.max(1, Math.min(req.getInteger("limit", 50), 500))));
    return Future.succeededFuture();
  }

  private void on(String type, Function<DomainEvent, Future<Void>> record) {
    vertx.eventBus().<JsonObject>consumer(Addresses.event(type), msg -> record.apply(DomainEvent.fromJson(msg.body()))
        .onFailure(e -> log.error("audit entry for {} not written: {}", type, e.toString())));
  }
}
