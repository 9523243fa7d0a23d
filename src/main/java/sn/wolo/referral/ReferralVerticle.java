package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.identity.api.Accounts;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.Requests;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.scheduling.DueWorkSweeper;

import java.time.Duration;
import java.util.UUID;

/**
 * Referrals: sponsors' codes and invitations (a daily limit, contact batches of 50), acceptance at
 * sign-up, the points ledger and conversions into pot credit (schema referrals).
 *
 * <p>Consumes {@code identity.user_signed_up} (acceptance), {@code pot.opened}, {@code pot.credited},
 * {@code donation.refunded}, {@code identity.user_erased} (points) and its own
 * {@code referral.invitation_sent} (messages). Events: {@code referral.invitation_sent},
 * {@code referral.accepted}, {@code referral.credit_applied} (the pot domain credits the pot).
 */
public final class ReferralVerticle extends DomainVerticle {

  public static final String DOMAIN = "referral";
  private static final Logger log = LoggerFactory.getLogger(ReferralVerticle.class);
  private DueWorkSweeper expirySweeper;
  private Maturation maturation;

  public static String address(String verb) {
    return Addresses.request(DOMAIN, verb);
  }

  public ReferralVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    ReferralSettings settings = ReferralSettings.from(vertx, app.config());
    SponsorCodes codes = new SponsorCodes(pool);
    ContactBatches batches = new ContactBatches(pool, app.clock());
    Invitations invitations = new Invitations(pool, app.clock(), settings);
    PointsLedger ledger = new PointsLedger(pool, app.clock(), settings);
    Conversions conversions = new Conversions(vertx, pool, app.clock(), settings, ledger);
    ReferralService service = new ReferralService(vertx, codes, batches, invitations);
    maturation = new Maturation(vertx, ledger);

    Bus.serve(vertx, address("code"), req -> codes.of(user(req))
        .map(code -> new JsonObject().put("code", code).put("link", settings.link(code))));
    Bus.serve(vertx, address("batch"), req -> service.upload(user(req), req.getJsonArray("contacts", new JsonArray())));
    Bus.serve(vertx, address("send"), req -> service.send(user(req), req.getJsonObject("invitation", new JsonObject())));
    Bus.serve(vertx, address("mine"), req -> invitations.mine(user(req), req.getString("status"), req.getString("cursor"), req.getInteger("limit", 20)));
    Bus.serve(vertx, address("limits"), req -> invitations.today(user(req)));
    Bus.serve(vertx, address("points"), req -> ledger.view(user(req), req.getString("cursor"), req.getInteger("limit", 20)));
    Bus.serve(vertx, address("convert"), req -> conversions.convert(user(req), req.getLong("points", 0L),
        Requests.uuid(req, "pot_id", "pot_not_found")));
    // Operations: run the sweeps now (tests, back-fills).
    Bus.serve(vertx, address("sweep"), req -> sweep());

    react(Acceptance.CONSUMER, Acceptance.EVENTS, new Acceptance(vertx, pool, app.clock(), settings, ledger)::onSignUp);
    react(InvitationMessages.CONSUMER, InvitationMessages.EVENTS, new InvitationMessages(vertx, pool, settings)::deliver);
    consumeInBatches(PointsLedger.CONSUMER, PointsLedger.EVENTS, PointsLedger::laneOf, ledger::applyAll);
    // Invitations typed with the erased person's phone or e-mail by sponsors who never saw them sign up.
    Accounts accounts = TypedBus.proxy(vertx, Accounts.class);
    react("referral.erasure-contacts", java.util.Set.of("identity.user_erased"), e -> accounts
        .erasureIdentifiers(java.util.UUID.fromString(e.payload().getString("user_id")))
        .compose(who -> ReferralErasure.eraseContacts(pool, who.phone(), who.email())));

    expirySweeper = new DueWorkSweeper(vertx, pool, "referral-expiry", 1000, invitations::expireDue);
    vertx.setPeriodic(settings.sweepMs(), t -> sweep().onFailure(e -> log.warn("referral sweeps failed, retried later: {}", e.toString())));
    vertx.setPeriodic(Duration.ofHours(1).toMillis(), t -> batches.purge(settings.contactRetentionDays())
        .onFailure(e -> log.warn("contact purge failed, retried in an hour: {}", e.toString())));
    Bus.serve(vertx, address("purge-contacts"), req -> batches.purge(settings.contactRetentionDays()).map(n -> new JsonObject().put("purged", n)));
    return Future.succeededFuture();
  }

  /** GDPR export: my code, the invitations I sent (with the contacts I typed), my own referral, my points and conversions. */
  @Override
  protected Future<JsonObject> exportUserData(String userId) {
    return new ReferralExport(pool).of(UUID.fromString(userId));
  }

  private Future<JsonObject> sweep() {
    return expirySweeper.sweep().compose(expired -> maturation.run().map(matured -> new JsonObject()
        .put("expired", expired).put("matured", matured)));
  }

  private static UUID user(JsonObject req) {
    return Requests.uuid(req, "user_id", "user_not_found");
  }
}
