package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import sn.wolo.donation.api.Donations;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.scheduling.DailyJobs;
import sn.wolo.platform.scheduling.DueWorkSweeper;
import sn.wolo.platform.wave.WaveClient;
import sn.wolo.pot.api.PotView;
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

  public DonationVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    Bus.serve(vertx, address("mine"), this::mine);
    Bus.serve(vertx, address("for-pot"), this::forPot);

    var config = app.config();
    WaveClient wave = new WaveClient(vertx, config);
    Settlement settlement = new Settlement(app.clock());
    DonationService donations = new DonationService(vertx, pool, config, app.clock(), wave);
    Refunds refunds = new Refunds(pool, wave, app.clock());
    Reconciler reconciler = new Reconciler(pool, wave, settlement, app.clock(), config.integer("donation.reconcile-after-seconds"));
    WebhookProcessor processor = new WebhookProcessor(settlement, app.clock());
    DueWorkSweeper webhooks = new DueWorkSweeper(vertx, pool, "wave-webhooks", 200, processor::processBatch)
        .start(Duration.ofMillis(config.integer("donation.webhook-sweep-ms")));

    TypedBus.bind(vertx, Donations.class, new DonationsEndpoint(pool, donations));
    DonationRetention retention = new DonationRetention(pool, app.clock(), config.integer("retention.webhook-payload-days"),
        config.integer("retention.financial-years"), config.string("retention.financial-action"));
    Bus.serve(vertx, address("retention"), req -> retention.run());   // operations and tests: run it now
    vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> DailyJobs.runForYesterday(pool, app.clock(), "donation-retention",
            day -> retention.run())
        .onFailure(e -> log.warn("donation retention failed, retried in 10 minutes: {}", e.toString())));
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
    vertx.setPeriodic(config.integer("donation.reconcile-ms"), id -> reconciler.run()
        .onFailure(e -> log.warn("reconciliation failed: {}", e.toString())));
    return Future.succeededFuture();
  }

  private static UUID uuid(JsonObject req, String field, String notFound) {
    return sn.wolo.platform.bus.Requests.uuid(req, field, notFound);
  }

  /**
   * {@code {"pot_id","page","size","show_donor_names","enable_messages"}}: anonymous donors (or all,
   * when the pot hides names) appear as "Anonyme"; amounts the donor chose to hide are null;
   * messages only when the pot enables them.
   */

  /**
   * {@code wolo.donation.mine} {@code {"user_id","phone"?,"cursor"?,"limit"}}: the donations a user made — signed in, or as a
   * guest with the phone their account now has — newest first, by keyset pages.
   */
  private Future<JsonObject> mine(JsonObject req) {
    int limit = req.getInteger("limit", 20);
    sn.wolo.platform.db.Cursor after = sn.wolo.platform.db.Cursor.decode(req.getString("cursor"));
    return pool.preparedQuery("""
            SELECT id, pot_id, amount_cfa, status, is_anonymous, show_amount, donation_message, initiated_at, confirmed_at
            FROM donations.donations
            WHERE (donor_user_id = $1 OR ($2::text IS NOT NULL AND donor_phone = $2))
              AND ($3::timestamptz IS NULL OR (initiated_at, id) < ($3, $4))
            ORDER BY initiated_at DESC, id DESC LIMIT $5""")
        .execute(Tuple.tuple().addUUID(UUID.fromString(req.getString("user_id"))).addString(req.getString("phone"))
            .addValue(after == null ? null : after.at()).addValue(after == null ? null : after.id()).addInteger(limit + 1))
        .map(rows -> sn.wolo.platform.db.Cursor.page(rows, limit, "initiated_at", r -> new JsonObject()
            .put("id", r.getUUID("id").toString()).put("pot_id", r.getUUID("pot_id").toString())
            .put("amount_cfa", r.getInteger("amount_cfa")).put("status", r.getString("status"))
            .put("is_anonymous", r.getBoolean("is_anonymous")).put("show_amount", r.getBoolean("show_amount"))
            .put("message", r.getString("donation_message"))
            .put("initiated_at", r.getOffsetDateTime("initiated_at").toInstant().toString())
            .put("confirmed_at", r.getOffsetDateTime("confirmed_at") == null ? null : r.getOffsetDateTime("confirmed_at").toInstant().toString())));
  }

  /**
   * A pot's donations as its owner sees them, newest first, by keyset pages: the donor's name unless
   * they gave anonymously, the amount unless they hid it, their message. Paid (and refunded) ones only.
   */
  private Future<JsonObject> forPot(JsonObject req) {
    int limit = req.getInteger("limit", 20);
    sn.wolo.platform.db.Cursor after = sn.wolo.platform.db.Cursor.decode(req.getString("cursor"));
    return pool.preparedQuery("""
            SELECT id, amount_cfa, donor_name, donation_message, is_anonymous, show_amount, status, confirmed_at
            FROM donations.donations
            WHERE pot_id = $1 AND status IN ('succeeded', 'refunded')
              AND ($2::timestamptz IS NULL OR (confirmed_at, id) < ($2, $3))
            ORDER BY confirmed_at DESC, id DESC LIMIT $4""")
        .execute(Tuple.tuple().addUUID(UUID.fromString(req.getString("pot_id"))).addValue(after == null ? null : after.at())
            .addValue(after == null ? null : after.id()).addInteger(limit + 1))
        .map(rows -> sn.wolo.platform.db.Cursor.page(rows, limit, "confirmed_at", r -> new JsonObject()
            .put("id", r.getUUID("id").toString())
            .put("donor_name", r.getBoolean("is_anonymous") ? null : r.getString("donor_name"))
            .put("amount_cfa", r.getBoolean("show_amount") ? r.getInteger("amount_cfa") : null)
            .put("message", r.getString("donation_message")).put("status", r.getString("status"))
            .put("confirmed_at", r.getOffsetDateTime("confirmed_at").toInstant().toString())));
  }

  /** GDPR export: the donations the user made while signed in (amounts, messages, names as given, states). */
  @Override
  protected Future<JsonObject> exportUserData(String userId) {
    return pool.preparedQuery("""
            SELECT id, pot_id, amount_cfa, donor_name, donor_phone, donation_message, is_anonymous, show_amount, status, initiated_at, confirmed_at
            FROM donations.donations WHERE donor_user_id = $1 ORDER BY initiated_at""").execute(Tuple.of(UUID.fromString(userId))).map(rows -> {
      JsonArray made = new JsonArray();
      rows.forEach(r -> made.add(new JsonObject().put("id", r.getUUID("id").toString()).put("pot_id", r.getUUID("pot_id").toString())
          .put("amount_cfa", r.getInteger("amount_cfa")).put("donor_name", r.getString("donor_name")).put("donor_phone", r.getString("donor_phone"))
          .put("message", r.getString("donation_message")).put("is_anonymous", r.getBoolean("is_anonymous"))
          .put("show_amount", r.getBoolean("show_amount")).put("status", r.getString("status"))
          .put("initiated_at", r.getOffsetDateTime("initiated_at").toInstant().toString())
          .put("confirmed_at", r.getOffsetDateTime("confirmed_at") == null ? null : r.getOffsetDateTime("confirmed_at").toInstant().toString())));
      return new JsonObject().put("donations_made", made);
    }).compose(out -> received(UUID.fromString(userId)).map(list -> out.put("donations_received", list)));
  }

  /** Donations to the user's pots as their owner sees them: anonymous donors unnamed, hidden amounts hidden. */
  private Future<JsonArray> received(UUID owner) {
    return TypedBus.proxy(vertx, Pots.class).mine(owner).compose(mine -> {
      UUID[] pots = mine.pots().stream().map(PotView::id).toArray(UUID[]::new);
      return pool.preparedQuery("""
              SELECT pot_id, amount_cfa, donor_name, donation_message, is_anonymous, show_amount, status, confirmed_at FROM donations.donations
              WHERE pot_id = ANY($1) AND status IN ('succeeded', 'refunded') ORDER BY confirmed_at""").execute(Tuple.of((Object) pots))
          .map(rows -> {
            JsonArray list = new JsonArray();
            rows.forEach(r -> list.add(new JsonObject().put("pot_id", r.getUUID("pot_id").toString())
                .put("amount_cfa", r.getBoolean("show_amount") ? r.getInteger("amount_cfa") : null)
                .put("donor_name", r.getBoolean("is_anonymous") ? null : r.getString("donor_name")).put("message", r.getString("donation_message"))
                .put("status", r.getString("status")).put("confirmed_at", r.getOffsetDateTime("confirmed_at").toInstant().toString())));
            return list;
          });
    });
  }
}
