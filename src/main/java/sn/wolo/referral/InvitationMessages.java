package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.api.OutgoingMessage;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.profile.api.Profiles;

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
  private final Notifications notifications;
  private final Profiles profiles;
  private final Pool pool;
  private final ReferralSettings settings;

  InvitationMessages(Vertx vertx, Pool pool, ReferralSettings settings) {
    this.vertx = vertx;
    this.notifications = TypedBus.proxy(vertx, Notifications.class);
    this.profiles = TypedBus.proxy(vertx, Profiles.class);
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
      return profiles.get(r.getUUID("sponsor_user_id"))
          .map(p -> p.fullName() == null ? "Un proche" : p.fullName()).recover(err -> Future.succeededFuture("Un proche"))
          .compose(name -> notifications.send(new OutgoingMessage("referral_invitation", r.getString("channel"), r.getString("invited_phone"),
              null, OutgoingMessage.data("sponsor_name", name, "referral_code", r.getString("code"), "link", settings.link(r.getString("code"))),
              e.eventId() + ":referral_invitation:" + id)))
          .mapEmpty();
    });
  }
}
