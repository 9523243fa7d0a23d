package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.donation.api.Donations;
import sn.wolo.notification.api.Notifications;
import sn.wolo.notification.api.OutgoingMessage;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.profile.api.Profiles;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * J-7 and J-1 reminders to the invitees of a live pot who have not given yet (an invitee "gave"
 * when a succeeded donation came from the phone or email they were invited at). Each reminder is
 * queued with the dedupe key {@code reminder:<days>:<invitation>}, so the hourly run sends each
 * once; quiet hours and preferences apply as for any message.
 */
final class PotReminders {

  private static final String DUE = """
      SELECT p.id, p.title, p.owner_user_id, i.id AS invitation_id, i.invitation_method, i.recipient_identifier
      FROM pots.pots p JOIN pots.pot_invitations i ON i.pot_id = p.id
      WHERE p.status IN ('open', 'funded') AND p.birthday_date = $1 AND i.invitation_method IN ('sms', 'whatsapp', 'email')
      ORDER BY p.id""";

  private final Vertx vertx;
  private final Profiles profiles;
  private final Donations donations;
  private final Notifications notifications;
  private final Pool pool;
  private final Clock clock;
  private final PotSettings settings;

  PotReminders(Vertx vertx, Pool pool, Clock clock, PotSettings settings) {
    this.vertx = vertx;
    this.profiles = TypedBus.proxy(vertx, Profiles.class);
    this.donations = TypedBus.proxy(vertx, Donations.class);
    this.notifications = TypedBus.proxy(vertx, Notifications.class);
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
  }

  /** Queues the reminders due today (Dakar) and returns how many were queued (duplicates excluded). */
  Future<Integer> run() {
    LocalDate today = Times.dakarToday(clock);
    return remind(today.plusDays(7), "pot_reminder_j7", 7).compose(a -> remind(today.plusDays(1), "pot_reminder_j1", 1).map(b -> a + b));
  }

  private Future<Integer> remind(LocalDate birthday, String template, int days) {
    return pool.preparedQuery(DUE).execute(Tuple.of(birthday)).compose(rows -> {
      List<Row> invitations = new ArrayList<>();
      rows.forEach(invitations::add);
      // One look-up per pot (who gave, the owner's name), not one per invitation.
      Map<String, Future<Set<String>>> givers = new HashMap<>();
      Map<String, Future<String>> owners = new HashMap<>();
      Future<Integer> chain = Future.succeededFuture(0);
      for (Row r : invitations) {
        String potId = r.getUUID("id").toString();
        chain = chain.compose(n -> givers.computeIfAbsent(potId, this::givers).compose(given -> {
          if (given.contains(r.getString("recipient_identifier"))) return Future.succeededFuture(n);
          return owners.computeIfAbsent(potId, k -> ownerName(r.getUUID("owner_user_id").toString()))
              .compose(owner -> notifications.send(new OutgoingMessage(template, r.getString("invitation_method"),
                  r.getString("recipient_identifier"), null, OutgoingMessage.data("owner_name", owner, "pot_title", r.getString("title"),
                      "link", settings.publicBaseUrl() + "/p/" + potId), "reminder:" + days + ":" + r.getUUID("invitation_id"))))
              .map(queued -> n + (queued.notificationId() != null ? 1 : 0));
        }));
      }
      return chain;
    });
  }

  private Future<Set<String>> givers(String potId) {
    return donations.donorContacts(UUID.fromString(potId)).map(r -> new HashSet<>(r.contacts()));
  }

  private Future<String> ownerName(String ownerId) {
    return profiles.get(UUID.fromString(ownerId)).map(p -> PotSharing.displayName(p.fullName())).recover(e -> Future.succeededFuture("votre proche"));
  }
}
