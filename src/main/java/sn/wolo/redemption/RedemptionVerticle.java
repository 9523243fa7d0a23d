package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.pack.api.PackDirectory;
import sn.wolo.pack.api.PartnerMembership;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.Requests;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.platform.scheduling.DailyJobs;
import sn.wolo.platform.scheduling.DueWorkSweeper;
import sn.wolo.platform.security.KeyRing;
import sn.wolo.platform.wave.WaveClient;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Redemption: gifts (a pot converted into a pack, with its QR code), their redemption at partner
 * venues, partner settlements and their Wave payouts (schema redemption).
 *
 * <p>Consumes {@code pot.closed}: a pot with a chosen pack is converted at once; otherwise (or when
 * the conversion is refused) {@code gift.choice_needed} asks the owner to choose. Events:
 * {@code gift.converted}, {@code gift.redeemed}, {@code gift.expired}, {@code gift.cancelled},
 * {@code gift.choice_needed}, {@code redemption.suspicious_scans}, {@code settlement.created},
 * {@code settlement.paid}. Timers: the expiry sweep, the daily settlement job, the payout recovery.
 */
public final class RedemptionVerticle extends DomainVerticle {

  public static final String DOMAIN = "redemption";
  private static final Logger log = LoggerFactory.getLogger(RedemptionVerticle.class);
  /** Why a closed pot was not converted, as the owner reads it. */
  private static final Map<String, String> REFUSALS_FR = Map.of(
      "no_pack_chosen", "Aucun cadeau n'a encore été choisi.",
      "insufficient_funds", "Le cadeau choisi coûte plus que la cagnotte.",
      "pack_sold_out", "Le cadeau choisi n'est plus disponible.",
      "pack_unavailable", "Le cadeau choisi n'est plus proposé.",
      "pack_limit_reached", "Vous avez déjà reçu ce cadeau autant de fois que possible.");

  private DueWorkSweeper expirySweeper;
  private Gifts gifts;

  public static String address(String verb) {
    return Addresses.request(DOMAIN, verb);
  }

  private PackDirectory packs;

  public RedemptionVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    packs = TypedBus.proxy(vertx, PackDirectory.class);
    var config = app.config();
    RedemptionSettings settings = RedemptionSettings.from(config);
    KeyRing keys = KeyRing.fromBase64(settings.masterKey());
    GiftConversion conversion = new GiftConversion(app.clock(), keys);
    GiftChoice choice = new GiftChoice(vertx);
    gifts = new Gifts(pool, app.clock(), keys);
    Redemptions redemptions = new Redemptions(pool, app.clock(), keys, settings.suspiciousFailures());
    Settlements settlements = new Settlements(pool, app.clock());
    Payouts payouts = new Payouts(pool, app.clock(), new WaveClient(vertx, config), settings.payoutClaimSeconds(), settlements);

    Bus.serve(vertx, address("gift-choose"), req -> choice.choose(id(req, "pot_id", "pot_not_found"), id(req, "user_id", "user_not_found"),
        id(req, "pack_id", "pack_not_found")));
    Bus.serve(vertx, address("gift-convert"), req -> {
      UUID owner = id(req, "user_id", "user_not_found");
      return pool.withTransaction(tx -> conversion.convert(tx, id(req, "pot_id", "pot_not_found"), owner))
          .compose(giftId -> gifts.one(giftId, owner, false));
    });
    Bus.serve(vertx, address("gifts-mine"), req -> gifts.mine(id(req, "user_id", "user_not_found")));
    Bus.serve(vertx, address("gift-get"), req -> gifts.one(id(req, "gift_id", "gift_not_found"), id(req, "user_id", "user_not_found"),
        req.getBoolean("admin", false)));
    Bus.serve(vertx, address("gift-token"), req -> gifts.token(id(req, "gift_id", "gift_not_found"), id(req, "user_id", "user_not_found"))
        .map(token -> new JsonObject().put("token", token)));
    Bus.serve(vertx, address("gift-cancel"), req -> gifts.cancel(id(req, "gift_id", "gift_not_found"), id(req, "admin_id", "user_not_found"),
        req.getString("reason"), AuditContext.from(req)));
    Bus.serve(vertx, address("scan"), req -> scanner(req).compose(scanner ->
        redemptions.scan(scanner, req.getString("token"), req.getString("location_id"), req.getBoolean("consume", false))));

    Bus.serve(vertx, address("settlements-run"), req -> settlements.settleDay(LocalDate.parse(req.getString("date"))));
    Bus.serve(vertx, address("settlements-list"), req -> settlements.list(req.getString("status"),
        req.getString("partner_id") == null ? null : id(req, "partner_id", "partner_not_found")));
    Bus.serve(vertx, address("settlement-get"), req -> settlements.get(id(req, "settlement_id", "settlement_not_found"), null));
    Bus.serve(vertx, address("settlement-approve"), req -> settlements.approve(id(req, "settlement_id", "settlement_not_found"),
        id(req, "admin_id", "user_not_found"), AuditContext.from(req)));
    Bus.serve(vertx, address("settlement-dispute"), req -> settlements.dispute(id(req, "settlement_id", "settlement_not_found"),
        req.getString("reason"), AuditContext.from(req)));
    Bus.serve(vertx, address("settlement-reopen"), req -> settlements.reopen(id(req, "settlement_id", "settlement_not_found"),
        AuditContext.from(req)));
    Bus.serve(vertx, address("settlement-pay"), req -> payouts.pay(id(req, "settlement_id", "settlement_not_found")));
    Bus.serve(vertx, address("settlement-csv"), req -> partnerScope(req).compose(partnerId ->
        settlements.csv(id(req, "settlement_id", "settlement_not_found"), partnerId)).map(csv -> new JsonObject().put("csv", csv)));
    Bus.serve(vertx, address("partner-settlements"), req -> partnerScope(req).compose(partnerId -> settlements.list(null, partnerId)));
    // Operations: run the sweeps now (tests, back-fills).
    Bus.serve(vertx, address("expire-sweep"), req -> expirySweeper.sweep().map(n -> new JsonObject().put("expired", n)));
    Bus.serve(vertx, address("payout-recover"), req -> payouts.recover().map(n -> new JsonObject().put("retried", n)));

    consume("redemption.gifts", Set.of("pot.closed"), (tx, e) -> convertClosedPot(tx, e, conversion));

    expirySweeper = new DueWorkSweeper(vertx, pool, "gift-expiry", 500, gifts::expireDue)
        .start(Duration.ofMillis(settings.expirySweepMs()));
    vertx.setPeriodic(settings.payoutRecoveryMs(), t -> payouts.recover()
        .onFailure(e -> log.warn("payout recovery failed, retried later: {}", e.toString())));
    vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), t -> DailyJobs.runForYesterday(pool, app.clock(), "partner-settlements",
            settlements::settleDay)
        .onFailure(e -> log.warn("partner settlements failed, retried in 10 minutes: {}", e.toString())));
    SettlementRetention retention = new SettlementRetention(pool, app.clock(), settings.financialRetentionYears(),
        settings.financialRetentionAction());
    Bus.serve(vertx, address("retention"), req -> retention.run().map(n -> new JsonObject().put("settlements_deleted", n)));
    vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), t -> DailyJobs.runForYesterday(pool, app.clock(), "settlement-retention",
            day -> retention.run())
        .onFailure(e -> log.warn("settlement retention failed, retried in 10 minutes: {}", e.toString())));
    return Future.succeededFuture();
  }

  /** At the birthday: convert when a pack was chosen; a refusal (or no choice) becomes a message to the owner. */
  private Future<Void> convertClosedPot(SqlConnection tx, DomainEvent e, GiftConversion conversion) {
    UUID potId = UUID.fromString(e.payload().getString("pot_id"));
    return conversion.convert(tx, potId, null).<Void>mapEmpty().recover(failure -> {
      if (!(failure instanceof DomainException refusal) || "gift_already_converted".equals(refusal.code())) {
        return failure instanceof DomainException ? Future.succeededFuture() : Future.failedFuture(failure);
      }
      return Outbox.append(tx, DomainEvent.of("gift.choice_needed", "pot", potId, new JsonObject().put("pot_id", potId.toString())
          .put("owner_user_id", e.payload().getString("owner_user_id")).put("raised_cfa", e.payload().getLong("raised_cfa"))
          .put("reason_code", refusal.code()).put("reason", REFUSALS_FR.getOrDefault(refusal.code(), "")), app.clock().instant()));
    });
  }

  /** The scanning partner user, as the pack domain knows them (403 when they work for no partner). */
  private Future<Redemptions.Scanner> scanner(JsonObject req) {
    UUID user = id(req, "user_id", "user_not_found");
    return packs.partnerOf(user)
        .map(p -> new Redemptions.Scanner(user, p.partnerId(), p.status(), new JsonArray(p.venues().stream().map(JsonObject::new).toList()),
            req.getString("ip"), req.getString("user_agent")));
  }

  /** Admins see every partner's settlements ({@code null}); a partner user only their partner's. */
  private Future<UUID> partnerScope(JsonObject req) {
    if (req.getBoolean("admin", false)) return Future.succeededFuture(null);
    return packs.partnerOf(UUID.fromString(req.getString("user_id")))
        .map(PartnerMembership::partnerId);
  }

  @Override
  protected Future<JsonObject> exportUserData(String userId) {
    return gifts.export(UUID.fromString(userId));
  }

  private static UUID id(JsonObject req, String field, String notFoundCode) {
    return Requests.uuid(req, field, notFoundCode);
  }
}
