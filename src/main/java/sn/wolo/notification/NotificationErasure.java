package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.identity.api.Accounts;
import sn.wolo.platform.bus.TypedBus;

import java.util.UUID;

/**
 * What an erased person leaves in notifications ({@code identity.user_erased}): the messages sent to
 * them (by account, phone or e-mail) keep their channel, template, status and times for the
 * delivery statistics, but lose recipient, text and data; their preferences are deleted. Idempotent.
 */
final class NotificationErasure {

  private static final String MESSAGES = """
      UPDATE notifications.notifications SET recipient_identifier = 'erased', subject = NULL, body = '', template_data = NULL,
             provider_response = NULL, error_message = NULL, user_id = NULL
      WHERE user_id = $1 OR recipient_identifier = $2 OR recipient_identifier = $3""";

  private final Vertx vertx;
  private final Accounts accounts;
  private final Pool pool;

  NotificationErasure(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.accounts = TypedBus.proxy(vertx, Accounts.class);
    this.pool = pool;
  }

  Future<Void> erase(UUID user) {
    return accounts.erasureIdentifiers(user).compose(who -> pool.withTransaction(tx ->
        tx.preparedQuery(MESSAGES).execute(Tuple.of(user, who.phone(), who.email()))
            .compose(v -> tx.preparedQuery("DELETE FROM notifications.notification_preferences WHERE user_id = $1").execute(Tuple.of(user)))
            .compose(v -> tx.preparedQuery("DELETE FROM notifications.digest_entries WHERE digest_key LIKE $1")
                .execute(Tuple.of("digest:" + user + ":%")))
            .compose(v -> Devices.erase(tx, user))))
        .mapEmpty();
  }
}
