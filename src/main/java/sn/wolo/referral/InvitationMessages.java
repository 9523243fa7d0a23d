package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.notification.NotificationVerticle;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.profile.ProfileVerticle;

import java.util.Set;
import java.util.UUID;

/**
 * Delivers each invitation ({@code referral.invitation_sent}) through the notification domain: the
 * sponsor's name, code and link, by SMS or WhatsApp to the invited phone (read here: events carry
 * no phone numbers). At least once; the queue's dedupe key makes it once.
 */
final class InvitationMessages {

  static final String CONSUMER = "referral.invitations";
  static final Set<String> EVENTS = Set.of("referral.invitation_sent");

  private final Vertx vertx;
  private final Pool pool;
  private final ReferralSettings settings;

  InvitationMessages(Vertx vertx, Pool pool, ReferralSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
  }

  Future<Void> deliver(DomainEvent e) {
    UUID id = UUID.fromString(e.payload().getString("referral_id"));
    return pool.preparedQuery("""
            SELECT r.invited_phone, r.channel, r.status, r.sponsor_user_id, c.code FROM referrals.referrals r
            JOIN referrals.referral_codes c ON c.user_id = r.sponsor_user_id WHERE r.id = $1""").execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) return Future.<Void>succeededFuture();
      Row r = rows.iterator().next();
      if (!"sent".equals(r.getString("status")) || r.getString("invited_phone") == null) return Future.<Void>succeededFuture();
      return Bus.call(vertx, ProfileVerticle.address("get"), new JsonObject().put("user_id", r.getUUID("sponsor_user_id").toString()))
          .map(p -> p.getString("full_name", "Un proche")).recover(err -> Future.succeededFuture("Un proche"))
          .compose(name -> Bus.call(vertx, NotificationVerticle.SEND, new JsonObject().put("template_key", "referral_invitation")
              .put("channel", r.getString("channel")).put("recipient", r.getString("invited_phone"))
              .put("data", new JsonObject().put("sponsor_name", name).put("referral_code", r.getString("code"))
                  .put("link", settings.link(r.getString("code"))))
              .put("dedupe_key", e.eventId() + ":referral_invitation:" + id)))
          .mapEmpty();
    });
  }
}
