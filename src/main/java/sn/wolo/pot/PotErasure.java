package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.identity.api.Accounts;
import sn.wolo.platform.bus.TypedBus;

import java.util.UUID;

/**
 * What an erased person leaves in pots ({@code identity.user_erased}): their pots keep amounts and
 * states but lose title, description and pictures (free text often names the person); invitations
 * sent to their phone or e-mail lose the address and message. Idempotent.
 */
final class PotErasure {

  private static final String POTS = """
      UPDATE pots.pots SET title = 'Cagnotte', description = NULL, cover_image_url = NULL, gallery_images = NULL WHERE owner_user_id = $1""";
  private static final String INVITATIONS = """
      UPDATE pots.pot_invitations SET recipient_identifier = 'erased', custom_message = NULL
      WHERE recipient_identifier = $1 OR recipient_identifier = $2""";

  private final Vertx vertx;
  private final Accounts accounts;
  private final Pool pool;

  PotErasure(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.accounts = TypedBus.proxy(vertx, Accounts.class);
    this.pool = pool;
  }

  Future<Void> erase(UUID user) {
    return accounts.erasureIdentifiers(user).compose(who -> pool.withTransaction(tx ->
        tx.preparedQuery(POTS).execute(Tuple.of(user))
            .compose(v -> tx.preparedQuery(INVITATIONS).execute(Tuple.of(who.phone(), who.email()))))).mapEmpty();
  }
}
