package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.config.RuntimeSettings;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.phone.PhoneNumbers;
import sn.wolo.platform.wave.WaveClient;
import sn.wolo.platform.wave.WaveException;
import sn.wolo.pot.api.Pots;

import java.time.Clock;
import java.util.UUID;

/**
 * Starting a donation: checks (the pot accepts donations, amount limits, anonymity and messages as
 * the pot allows, fraud score), the donation row first, then the Wave checkout session with an
 * Idempotency-Key derived from the donation id — a retry can never create a second session.
 */
final class DonationService {

  private static final Logger log = LoggerFactory.getLogger(DonationService.class);
  private static final String GET = """
      SELECT id, pot_id, amount_cfa, status, wave_payment_url, wave_checkout_session_id, initiated_at, confirmed_at
      FROM donations.donations WHERE id = $1""";

  private final Vertx vertx;
  private final Pots pots;
  private final Pool pool;
  private final DonationSettings settings;
  private final WaveClient wave;
  private final RiskRules risk;
  private final InitiationRecords records;

  DonationService(Vertx vertx, Pool pool, DonationSettings settings, RuntimeSettings live, Clock clock, WaveClient wave) {
    this.vertx = vertx;
    this.pots = TypedBus.proxy(vertx, Pots.class);
    this.pool = pool;
    this.settings = settings;
    this.wave = wave;
    this.risk = new RiskRules(pool, new RiskLimits(live), clock);
    this.records = new InitiationRecords(pool, clock);
  }

  Future<JsonObject> create(JsonObject req) {
    DonationInput in = DonationInput.parse(req, settings);
    return pots.acceptingDonations(in.potId(), req.getString("invitation_token"), in.donorUserId())
        .compose(pot -> {
          if (!pot.accepting()) {
            throw DomainException.conflict("pot_not_accepting", "This pot does not accept donations (" + pot.status().wire() + ").");
          }
          if (in.anonymous() && !pot.allowAnonymousDonations()) {
            throw DomainException.invalid("anonymous_not_allowed", "This pot does not accept anonymous donations.");
          }
          if (in.message() != null && !pot.enableMessages()) {
            throw DomainException.invalid("messages_disabled", "This pot does not accept messages.");
          }
          return risk.score(pot, in.donorUserId(), in.donorPhone(), in.ip(), in.amount());
        })
        .compose(score -> {
          if (score.value() >= risk.threshold()) {
            log.warn("donation refused, risk {} {} (phone {})", score.value(), score.reasons().encode(), PhoneNumbers.mask(in.donorPhone()));
            return Future.failedFuture(new DomainException(ErrorKind.FORBIDDEN, "donation_refused_risk",
                "This donation looks unusual and was refused (" + String.join(", ", score.reasons().getList()) + ")."));
          }
          return checkout(UUID.randomUUID(), in, score.value());
        })
        .onSuccess(v -> markInvitationClicked(req.getString("invitation_token")));
  }

  /**
   * Opens the Wave checkout session first (our donation id as its client reference), then stores the
   * donation with it in one INSERT. Safe in this order: nobody can pay a session before its launch
   * URL reaches the donor in our answer, so a payment never precedes its donation; a session whose
   * donation was not stored (a crash in between) is never shown to anyone and expires at Wave. A
   * refusal by Wave is stored as a failed donation, and nothing is charged.
   */
  private Future<JsonObject> checkout(UUID id, DonationInput in, int risk) {
    return wave.createSession(in.amount(), id.toString(), settings.successUrl() + "?donation=" + id,
            settings.errorUrl() + "?donation=" + id, in.donorPhone(), "donation-" + id)
        .transform(opened -> {
          if (opened.succeeded()) {
            JsonObject session = opened.result();
            return insert(id, in, risk, "pending", session.getString("id"), session.getString("wave_launch_url"))
                .map(v -> new JsonObject().put("id", id.toString()).put("status", "pending")
                    .put("wave_launch_url", session.getString("wave_launch_url")).put("checkout_session_id", session.getString("id")));
          }
          Throwable e = opened.cause();
          WaveException w = e instanceof WaveException we ? we : new WaveException(0, "unknown", e.toString());
          log.warn("Wave checkout failed for donation {}: {} {}", id, w.status(), w.code());
          return insert(id, in, risk, "failed", null, null).transform(v -> Future.failedFuture(w.retryable()
              ? new DomainException(ErrorKind.UNAVAILABLE, "wave_unavailable", "Wave is not reachable right now; nothing was charged. Try again shortly.")
              : new DomainException(ErrorKind.UPSTREAM_FAILED, "wave_rejected", "Wave refused the payment request (" + w.code() + ").")));
        });
  }

  /** One statement once Wave answered, grouped with the other initiations of the moment: the donation with its session (or failed). */
  private Future<Void> insert(UUID id, DonationInput in, int risk, String status, String sessionId, String launchUrl) {
    return records.store(new InitiationRecords.Initiation(id, in, risk, status, sessionId, launchUrl));
  }

  Future<JsonObject> get(UUID id) {
    return pool.preparedQuery(GET).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("donation_not_found", "No such donation.");
      Row r = rows.iterator().next();
      return new JsonObject().put("id", id.toString()).put("pot_id", r.getUUID("pot_id").toString())
          .put("amount_cfa", r.getInteger("amount_cfa")).put("status", r.getString("status"))
          .put("wave_launch_url", r.getString("wave_payment_url")).put("checkout_session_id", r.getString("wave_checkout_session_id"))
          .put("initiated_at", r.getOffsetDateTime("initiated_at").toInstant().toString())
          .put("confirmed_at", r.getOffsetDateTime("confirmed_at") == null ? null : r.getOffsetDateTime("confirmed_at").toInstant().toString());
    });
  }

  private void markInvitationClicked(String token) {
    if (token == null || token.isBlank()) return;
    pots.invitationClicked(token)
        .onFailure(e -> log.debug("invitation click not recorded: {}", e.toString()));
  }
}
