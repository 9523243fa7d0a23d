package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.errors.DomainException;

import java.time.Clock;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The contacts the app proposes, uploaded in batches of at most 50 and numbered across the day
 * (positions continue from the previous batch). A snapshot keeps name and normalised phone only and
 * is emptied after {@code contact-retention-days}.
 */
final class ContactBatches {

  private static final String INSERT = """
      INSERT INTO referrals.sponsor_contact_batches (sponsor_user_id, batch_date, batch_number, start_position, end_position, contact_snapshot)
      SELECT $1, $2, COALESCE(max(batch_number), 0) + 1, COALESCE(max(end_position), 0), COALESCE(max(end_position), 0) + $3, $4
      FROM referrals.sponsor_contact_batches WHERE sponsor_user_id = $1 AND batch_date = $2
      RETURNING id, batch_number, start_position""";

  private final Pool pool;
  private final Clock clock;

  ContactBatches(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** {@code contacts}: already normalised {@code [{"name","phone"}]}, 1 to 50. */
  Future<JsonObject> upload(UUID sponsor, JsonArray contacts) {
    LocalDate today = Times.dakarToday(clock);
    // Two uploads at once would draw the same batch number: the sponsor's advisory lock orders them.
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('referral-batch:' || $1))")
        .execute(Tuple.of(sponsor.toString()))
        .compose(v -> tx.preparedQuery(INSERT).execute(Tuple.of(sponsor, today, contacts.size(), contacts)))).map(rows -> {
          Row r = rows.iterator().next();
          int start = r.getInteger("start_position");
          JsonArray positioned = new JsonArray();
          for (int i = 0; i < contacts.size(); i++) positioned.add(contacts.getJsonObject(i).copy().put("position", start + i + 1));
          return new JsonObject().put("id", r.getUUID("id").toString()).put("batch_number", r.getInteger("batch_number"))
              .put("date", today.toString()).put("contacts", positioned);
        });
  }

  /** The phones of a sponsor's batch, to check that what is sent was proposed in it. */
  Future<JsonArray> phones(UUID sponsor, UUID batchId) {
    return pool.preparedQuery("SELECT contact_snapshot FROM referrals.sponsor_contact_batches WHERE id = $1 AND sponsor_user_id = $2")
        .execute(Tuple.of(batchId, sponsor)).map(rows -> {
          if (rows.size() == 0) throw DomainException.notFound("batch_not_found", "No such contact batch.");
          JsonArray out = new JsonArray();
          Object snapshot = rows.iterator().next().getValue("contact_snapshot");
          if (snapshot instanceof JsonArray a) a.forEach(c -> out.add(((JsonObject) c).getString("phone")));
          return out;
        });
  }

  /** Empties snapshots older than the retention; returns how many. */
  Future<Integer> purge(int retentionDays) {
    return pool.preparedQuery("UPDATE referrals.sponsor_contact_batches SET contact_snapshot = NULL, updated_at = now() "
            + "WHERE contact_snapshot IS NOT NULL AND created_at < $1")
        .execute(Tuple.of(Times.now(clock).minusDays(retentionDays))).map(rows -> rows.rowCount());
  }
}
