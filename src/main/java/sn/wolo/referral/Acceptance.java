package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.identity.api.Accounts;
import sn.wolo.identity.api.UserAccount;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.api.OutgoingMessage;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * A new account accepts a referral ({@code identity.user_signed_up}): the pending invitation sent
 * to its phone (the code's sponsor's first, else the oldest), or — with a sponsor's code and no
 * invitation — a referral made through the shared code. Refused, with the reason recorded: an
 * unknown code, a self-referral, a person already referred (one accepted referral per invitee, and
 * a phone earns a sponsor once even across accounts). The sponsor earns {@code referral_accepted}
 * points and a message. A reaction: it reads the phone from identity first, then writes in one
 * transaction whose unique keys make a replay harmless.
 */
final class Acceptance {

  static final String CONSUMER = "referral.signups";
  static final Set<String> EVENTS = Set.of("identity.user_signed_up");

  private static final String INVITATION = """
      SELECT id, sponsor_user_id FROM referrals.referrals
      WHERE status = 'sent' AND invited_phone = $1 AND expired_at > $2 AND sponsor_user_id <> $3
      ORDER BY (sponsor_user_id = $4) DESC, sent_at LIMIT 1 FOR UPDATE""";
  private static final String EARNED_BY_PHONE = """
      SELECT 1 FROM referrals.referrals WHERE sponsor_user_id = $1 AND invited_phone = $2 AND status = 'accepted'""";
  private static final String ACCEPT = """
      UPDATE referrals.referrals SET status = 'accepted', sponsored_user_id = $2, accepted_at = $3 WHERE id = $1 AND status = 'sent'""";
  private static final String VIA_CODE = """
      INSERT INTO referrals.referrals (sponsor_user_id, referral_code, invited_phone, invited_email, status, sponsored_user_id, sent_at,
                                       accepted_at, expired_at, created_at, via_shared_code)
      VALUES ($1, $2, $3, $4, 'accepted', $5, $6, $6, $6, $6, true) RETURNING id""";
  private static final String REFUSE = """
      INSERT INTO referrals.referral_refusals (sponsor_user_id, invitee_user_id, referral_code, reason, event_id) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (event_id) DO NOTHING""";

  private final Vertx vertx;
  private final Notifications notifications;
  private final Accounts accounts;
  private final Pool pool;
  private final Clock clock;
  private final ReferralSettings settings;
  private final PointsLedger ledger;

  Acceptance(Vertx vertx, Pool pool, Clock clock, ReferralSettings settings, PointsLedger ledger) {
    this.vertx = vertx;
    this.notifications = TypedBus.proxy(vertx, Notifications.class);
    this.accounts = TypedBus.proxy(vertx, Accounts.class);
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
    this.ledger = ledger;
  }

  Future<Void> onSignUp(DomainEvent e) {
    UUID invitee = UUID.fromString(e.payload().getString("user_id"));
    String code = e.payload().getString("referral_code");
    return accounts.getUser(invitee)
        .compose(user -> pool.withTransaction(tx -> alreadyAccepted(tx, invitee).compose(done -> done != null ? Future.succeededFuture(done)
            : sponsorOf(tx, code).compose(codeSponsor -> {
          if (code != null && codeSponsor == null) return refuse(tx, null, invitee, code, "unknown_code", e).compose(v -> byPhone(tx, user, invitee, null, code, e));
          if (invitee.equals(codeSponsor)) return refuse(tx, codeSponsor, invitee, code, "self_referral", e).map((UUID) null);
          return byPhone(tx, user, invitee, codeSponsor, code, e);
        }))).compose(sponsor -> sponsor == null ? Future.<Void>succeededFuture() : tellSponsor(e, sponsor)));
  }

  private Future<UUID> byPhone(SqlConnection tx, UserAccount user, UUID invitee, UUID codeSponsor, String code, DomainEvent e) {
    String phone = user.phone();
    OffsetDateTime now = Times.now(clock);
    Future<Row> invitation = phone == null ? Future.succeededFuture(null)
        : tx.preparedQuery(INVITATION).execute(Tuple.of(phone, now, invitee, codeSponsor == null ? invitee : codeSponsor))
            .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
    return invitation.compose(found -> {
      UUID sponsor = found != null ? found.getUUID("sponsor_user_id") : codeSponsor;
      if (sponsor == null) return Future.succeededFuture(null);
      Future<Boolean> earnedBefore = phone == null ? Future.succeededFuture(false)
          : tx.preparedQuery(EARNED_BY_PHONE).execute(Tuple.of(sponsor, phone)).map(rows -> rows.size() > 0);
      return earnedBefore.compose(before -> {
        if (before) return refuse(tx, sponsor, invitee, code, "already_referred", e).map((UUID) null);
        Future<UUID> referral = found != null
            ? tx.preparedQuery(ACCEPT).execute(Tuple.of(found.getUUID("id"), invitee, now)).map(found.getUUID("id"))
            : tx.preparedQuery(VIA_CODE).execute(Tuple.tuple().addUUID(sponsor).addString(code + "-" + SponsorCodes.random(6))
                .addString(phone).addString(user.email()).addUUID(invitee).addValue(now)).map(rows -> rows.iterator().next().getUUID("id"));
        return referral.compose(id -> ledger.earn(tx, id, sponsor, invitee, "referral_accepted", settings.pointsAccepted(), new JsonObject())
            .compose(v -> Outbox.append(tx, DomainEvent.of("referral.accepted", "referral", id, new JsonObject().put("referral_id", id.toString())
                .put("sponsor_user_id", sponsor.toString()).put("invitee_user_id", invitee.toString())
                .put("points", settings.pointsAccepted()), clock.instant())))
            .map(sponsor));
      });
    });
  }

  /** A replayed sign-up (the reaction failed after its commit, e.g. while messaging): the same sponsor, nothing written again. */
  private static Future<UUID> alreadyAccepted(SqlConnection tx, UUID invitee) {
    return tx.preparedQuery("SELECT sponsor_user_id FROM referrals.referrals WHERE sponsored_user_id = $1 AND status = 'accepted'")
        .execute(Tuple.of(invitee)).map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("sponsor_user_id"));
  }

  private Future<UUID> sponsorOf(SqlConnection tx, String code) {
    if (code == null) return Future.succeededFuture(null);
    return tx.preparedQuery("SELECT user_id FROM referrals.referral_codes WHERE code = $1").execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("user_id"));
  }

  private Future<Void> refuse(SqlConnection tx, UUID sponsor, UUID invitee, String code, String reason, DomainEvent e) {
    return tx.preparedQuery(REFUSE).execute(Tuple.tuple().addValue(sponsor).addUUID(invitee).addString(code).addString(reason)
        .addUUID(e.eventId())).mapEmpty();
  }

  /** The sponsor hears of it (once per event: the notification queue dedupes on the key). */
  private Future<Void> tellSponsor(DomainEvent e, UUID sponsor) {
    return accounts.getUser(sponsor).compose(user -> {
      String phone = user.phone();
      if (phone == null && user.email() == null) return Future.<Void>succeededFuture();
      return notifications.send(new OutgoingMessage("referral_accepted", phone != null ? "sms" : "email", phone != null ? phone : user.email(),
          sponsor, OutgoingMessage.data("invitee_name", "Votre filleul", "points", settings.pointsAccepted()),
          e.eventId() + ":referral_accepted:" + sponsor)).mapEmpty();
    });
  }
}
