package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.identity.api.Accounts;
import sn.wolo.platform.bus.TypedBus;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * What an erased person leaves in donations ({@code identity.user_erased}): the donations they made
 * signed in or as a guest with their phone keep their amounts and states (7-year financial duty) but
 * lose name, phone, message, IP and device; their Wave webhooks lose the payer's details. Idempotent.
 */
final class DonationErasure {

  private static final String DONATIONS = """
      UPDATE donations.donations SET donor_name = NULL, donor_phone = NULL, donation_message = NULL, ip_address = NULL,
             user_agent = NULL, wave_webhook_data = NULL
      WHERE donor_user_id = $1 OR ($2::text IS NOT NULL AND donor_phone = $2) RETURNING id""";
  private static final String WEBHOOKS = "UPDATE donations.wave_webhook_events SET raw_payload = " + WebhookPayloads.STRIPPED
      + ", payload_stripped_at = $2 WHERE donation_id = ANY($1) AND payload_stripped_at IS NULL";

  private final Vertx vertx;
  private final Accounts accounts;
  private final Pool pool;
  private final Clock clock;

  DonationErasure(Vertx vertx, Pool pool, Clock clock) {
    this.vertx = vertx;
    this.accounts = TypedBus.proxy(vertx, Accounts.class);
    this.pool = pool;
    this.clock = clock;
  }

  Future<Void> erase(UUID user) {
    return accounts.erasureIdentifiers(user).compose(who -> pool.withTransaction(tx ->
        tx.preparedQuery(DONATIONS).execute(Tuple.of(user, who.phone())).compose(rows -> {
          UUID[] ids = new UUID[rows.size()];
          int i = 0;
          for (var r : rows) ids[i++] = r.getUUID("id");
          return tx.preparedQuery(WEBHOOKS).execute(Tuple.of(ids, clock.instant().atOffset(ZoneOffset.UTC)));
        }))).mapEmpty();
  }
}
