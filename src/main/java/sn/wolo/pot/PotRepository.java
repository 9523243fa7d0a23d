package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import sn.wolo.pot.api.PotStatus;
import sn.wolo.pot.api.PotTitles;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of the pots schema. */
final class PotRepository {

  static final String COLUMNS = """
      id, owner_user_id, title, description, target_amount_cfa, birthday_date, scheduled_open_at, closes_at,
      actual_opened_at, closed_at, status, visibility, preferred_pack_id, allow_anonymous_donations, show_donor_names,
      enable_messages, share_count, view_count, cover_image_url, raised_cfa, succeeded_donations, created_at,
      gift_converted_at, gift_price_cfa, gift_surplus_cfa, referral_credit_cfa""";
  /** Columns PATCH may write (names fixed here, never taken from input). */
  static final List<String> PATCHABLE = List.of("title", "description", "target_amount_cfa", "visibility",
      "allow_anonymous_donations", "show_donor_names", "enable_messages", "cover_image_url");

  Future<Row> insert(SqlClient db, UUID owner, JsonObject in, LocalDate birthday, OffsetDateTime opensAt,
                     OffsetDateTime closesAt, boolean openNow, OffsetDateTime now) {
    return db.preparedQuery("""
            INSERT INTO pots.pots (owner_user_id, title, description, target_amount_cfa, birthday_date, scheduled_open_at,
                closes_at, actual_opened_at, status, visibility, allow_anonymous_donations, show_donor_names, enable_messages,
                cover_image_url, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING\s""" + COLUMNS)
        .execute(Tuple.from(new Object[] {owner, in.getString("title"), in.getString("description"),
            in.getInteger("target_amount_cfa"), birthday, opensAt, closesAt, openNow ? now : null,
            (openNow ? PotStatus.OPEN : PotStatus.SCHEDULED).wire(), in.getString("visibility"), in.getBoolean("allow_anonymous_donations"),
            in.getBoolean("show_donor_names"), in.getBoolean("enable_messages"), in.getString("cover_image_url"), now}))
        .map(rows -> rows.iterator().next());
  }

  Future<Optional<Row>> find(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM pots.pots WHERE id = $1").execute(Tuple.of(id)).map(PotRepository::one);
  }

  Future<Optional<Row>> findForUpdate(SqlClient db, UUID id) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM pots.pots WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
        .map(PotRepository::one);
  }

  /** The titles of those of these pots that exist. */
  Future<List<PotTitles.PotTitle>> titles(SqlClient db, List<UUID> ids) {
    return db.preparedQuery("SELECT id, title FROM pots.pots WHERE id = ANY($1)").execute(Tuple.of((Object) ids.toArray(UUID[]::new)))
        .map(rows -> {
          List<PotTitles.PotTitle> titles = new ArrayList<>();
          rows.forEach(r -> titles.add(new PotTitles.PotTitle(r.getUUID("id"), r.getString("title"))));
          return titles;
        });
  }

  /** A pot that is scheduled, open or funded: its owner's birthday is then locked. */
  Future<Boolean> hasLivePot(SqlClient db, UUID owner) {
    return db.preparedQuery("SELECT 1 FROM pots.pots WHERE owner_user_id = $1 AND status IN ('scheduled', 'open', 'funded') LIMIT 1")
        .execute(Tuple.of(owner)).map(rows -> rows.size() > 0);
  }

  Future<JsonArray> byOwner(SqlClient db, UUID owner) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM pots.pots WHERE owner_user_id = $1 ORDER BY birthday_date DESC")
        .execute(Tuple.of(owner)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(PotViews.owner(r)));
          return out;
        });
  }

  /** An owner's pots newest first by keyset pages ({@code {"items","next_cursor"}}). */
  Future<JsonObject> byOwnerPage(SqlClient db, UUID owner, int limit, String cursor) {
    sn.wolo.platform.db.Cursor after = sn.wolo.platform.db.Cursor.decode(cursor);
    return db.preparedQuery("SELECT " + COLUMNS + " FROM pots.pots WHERE owner_user_id = $1"
            + " AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3)) ORDER BY created_at DESC, id DESC LIMIT $4")
        .execute(Tuple.tuple().addUUID(owner).addValue(after == null ? null : after.at()).addValue(after == null ? null : after.id())
            .addInteger(limit + 1))
        .map(rows -> sn.wolo.platform.db.Cursor.page(rows, limit, "created_at", PotViews::owner));
  }

  /** A pot's invitations, newest first, by keyset pages (the owner's view: the contacts they typed). */
  Future<JsonObject> invitationsPage(SqlClient db, UUID potId, int limit, String cursor) {
    sn.wolo.platform.db.Cursor after = sn.wolo.platform.db.Cursor.decode(cursor);
    return db.preparedQuery("""
            SELECT id, invitation_method, recipient_identifier, custom_message, sent_at, opened_at, clicked_at, created_at
            FROM pots.pot_invitations WHERE pot_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
            ORDER BY created_at DESC, id DESC LIMIT $4""")
        .execute(Tuple.tuple().addUUID(potId).addValue(after == null ? null : after.at()).addValue(after == null ? null : after.id())
            .addInteger(limit + 1))
        .map(rows -> sn.wolo.platform.db.Cursor.page(rows, limit, "created_at", r -> new JsonObject()
            .put("id", r.getUUID("id").toString()).put("method", r.getString("invitation_method"))
            .put("recipient", r.getString("recipient_identifier")).put("message", r.getString("custom_message"))
            .put("sent_at", PotViews.time(r.getOffsetDateTime("sent_at"))).put("opened_at", PotViews.time(r.getOffsetDateTime("opened_at")))
            .put("clicked_at", PotViews.time(r.getOffsetDateTime("clicked_at")))
            .put("created_at", PotViews.time(r.getOffsetDateTime("created_at")))));
  }

  Future<Row> update(SqlClient db, UUID id, JsonObject changes) {
    List<Object> values = new ArrayList<>();
    values.add(id);
    StringBuilder set = new StringBuilder();
    for (String column : PATCHABLE) {
      if (!changes.containsKey(column)) continue;
      values.add(changes.getValue(column));
      set.append(set.isEmpty() ? "" : ", ").append(column).append(" = $").append(values.size());
    }
    if (set.isEmpty()) return find(db, id).map(Optional::orElseThrow);
    return db.preparedQuery("UPDATE pots.pots SET " + set + " WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.from(values)).map(rows -> rows.iterator().next());
  }

  Future<Row> close(SqlClient db, UUID id, OffsetDateTime now) {
    return db.preparedQuery("UPDATE pots.pots SET status = 'closed', closed_at = $2 WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, now)).map(rows -> rows.iterator().next());
  }

  Future<Void> setPreferredPack(SqlClient db, UUID id, UUID packId) {
    return db.preparedQuery("UPDATE pots.pots SET preferred_pack_id = $2 WHERE id = $1").execute(Tuple.of(id, packId)).mapEmpty();
  }

  // ------------------------------------------------------------------ invitations

  Future<Long> invitationsSince(SqlClient db, UUID potId, OffsetDateTime since) {
    return db.preparedQuery("SELECT count(*) FROM pots.pot_invitations WHERE pot_id = $1 AND created_at >= $2")
        .execute(Tuple.of(potId, since)).map(rows -> rows.iterator().next().getLong(0));
  }

  Future<UUID> insertInvitation(SqlClient db, UUID potId, UUID by, String method, String recipient, String message,
                                String tokenHash, OffsetDateTime now) {
    return db.preparedQuery("""
            INSERT INTO pots.pot_invitations (pot_id, invited_by_user_id, invitation_method, recipient_identifier,
                custom_message, share_token_hash, sent_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id""")
        .execute(Tuple.from(new Object[] {potId, by, method, recipient, message, tokenHash, now}))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  /** Marks the invitation opened (first time only) and returns its pot. */
  Future<Optional<UUID>> openInvitation(SqlClient db, String tokenHash, OffsetDateTime now) {
    return db.preparedQuery("""
            UPDATE pots.pot_invitations SET opened_at = COALESCE(opened_at, $2) WHERE share_token_hash = $1 RETURNING pot_id""")
        .execute(Tuple.of(tokenHash, now))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("pot_id")));
  }

  Future<Void> clickInvitation(SqlClient db, String tokenHash, OffsetDateTime now) {
    return db.preparedQuery("UPDATE pots.pot_invitations SET clicked_at = COALESCE(clicked_at, $2) WHERE share_token_hash = $1")
        .execute(Tuple.of(tokenHash, now)).mapEmpty();
  }

  Future<Boolean> tokenOpensPot(SqlClient db, UUID potId, String tokenHash) {
    return db.preparedQuery("SELECT 1 FROM pots.pot_invitations WHERE pot_id = $1 AND share_token_hash = $2")
        .execute(Tuple.of(potId, tokenHash)).map(rows -> rows.size() > 0);
  }

  private static Optional<Row> one(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }
}
