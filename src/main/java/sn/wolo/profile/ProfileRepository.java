package sn.wolo.profile;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of the profiles schema: profiles, guardian requests, addresses. */
final class ProfileRepository {

  /** Columns a user may change through PUT /v1/me/profile (names are fixed here, never from input). */
  static final List<String> WRITABLE = List.of("full_name", "date_of_birth", "locale", "timezone", "avatar_url", "bio",
      "is_profile_public", "allow_contact_by_sponsors");

  private static final String SELECT = """
      SELECT p.user_id, p.full_name, p.date_of_birth, p.locale, p.timezone, p.avatar_url, p.bio, p.guardian_user_id,
             p.relationship_type, p.id_type, p.id_country, p.id_number, p.id_media_url, p.id_verified_at, p.id_verified_by,
             p.is_profile_public, p.allow_contact_by_sponsors, p.created_at, p.updated_at,
             (SELECT row_to_json(g) FROM (SELECT status, relationship_type
                 FROM profiles.guardian_requests WHERE minor_user_id = p.user_id ORDER BY created_at DESC LIMIT 1) g) AS guardian_request
      FROM profiles.profiles p WHERE p.user_id = $1""";

  Future<Boolean> insert(SqlClient db, UUID userId, String fullName, LocalDate dob, OffsetDateTime now) {
    return db.preparedQuery("""
            INSERT INTO profiles.profiles (user_id, full_name, date_of_birth, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
            ON CONFLICT (user_id) DO NOTHING""")
        .execute(Tuple.of(userId, fullName, dob, now)).map(r -> r.rowCount() == 1);
  }

  Future<Optional<Row>> find(SqlClient db, UUID userId) {
    return db.preparedQuery(SELECT).execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()));
  }

  Future<Void> update(SqlClient db, UUID userId, JsonObject fields) {
    List<Object> values = new ArrayList<>();
    values.add(userId);
    StringBuilder set = new StringBuilder();
    for (String column : WRITABLE) {
      if (!fields.containsKey(column)) continue;
      values.add(column.equals("date_of_birth") ? LocalDate.parse(fields.getString(column)) : fields.getValue(column));
      set.append(set.isEmpty() ? "" : ", ").append(column).append(" = $").append(values.size());
    }
    if (set.isEmpty()) return Future.succeededFuture();
    return db.preparedQuery("UPDATE profiles.profiles SET " + set + " WHERE user_id = $1")
        .execute(Tuple.from(values)).mapEmpty();
  }

  Future<UUID> requestGuardian(SqlClient db, UUID minor, UUID guardian, String phoneHash, String relationship, OffsetDateTime now) {
    return db.preparedQuery("UPDATE profiles.guardian_requests SET status = 'cancelled', responded_at = $2 WHERE minor_user_id = $1 AND status = 'pending'")
        .execute(Tuple.of(minor, now))
        .compose(v -> db.preparedQuery("""
                INSERT INTO profiles.guardian_requests (minor_user_id, guardian_user_id, guardian_phone_hash, relationship_type, created_at)
                VALUES ($1, $2, $3, $4, $5) RETURNING id""")
            .execute(Tuple.of(minor, guardian, phoneHash, relationship, now)))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  /** Requests made by this minor and to this phone since {@code since}, and whether the same one is pending. */
  Future<JsonObject> guardianRequestCounts(SqlClient db, UUID minor, String phoneHash, OffsetDateTime since) {
    return db.preparedQuery("""
            SELECT (SELECT count(*) FROM profiles.guardian_requests WHERE minor_user_id = $1 AND created_at > $3) AS by_minor,
                   (SELECT count(*) FROM profiles.guardian_requests WHERE guardian_phone_hash = $2 AND created_at > $3) AS by_phone,
                   EXISTS (SELECT 1 FROM profiles.guardian_requests WHERE minor_user_id = $1 AND guardian_phone_hash = $2
                           AND status = 'pending') AS same_pending""")
        .execute(Tuple.of(minor, phoneHash, since))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new JsonObject().put("by_minor", r.getLong("by_minor")).put("by_phone", r.getLong("by_phone"))
              .put("same_pending", r.getBoolean("same_pending"));
        });
  }

  Future<Optional<Row>> pendingRequestForUpdate(SqlClient db, UUID requestId) {
    return db.preparedQuery("""
            SELECT id, minor_user_id, guardian_user_id, relationship_type, status FROM profiles.guardian_requests
            WHERE id = $1 FOR UPDATE""").execute(Tuple.of(requestId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()));
  }

  Future<Void> answerRequest(SqlClient db, UUID requestId, String status, OffsetDateTime now) {
    return db.preparedQuery("UPDATE profiles.guardian_requests SET status = $2, responded_at = $3 WHERE id = $1")
        .execute(Tuple.of(requestId, status, now)).mapEmpty();
  }

  Future<Void> linkGuardian(SqlClient db, UUID minor, UUID guardian, String relationship) {
    return db.preparedQuery("UPDATE profiles.profiles SET guardian_user_id = $2, relationship_type = $3 WHERE user_id = $1")
        .execute(Tuple.of(minor, guardian, relationship)).mapEmpty();
  }

  Future<JsonArray> requestsForGuardian(SqlClient db, UUID guardian) {
    return db.preparedQuery("""
            SELECT r.id, r.minor_user_id, r.relationship_type, r.created_at, p.full_name
            FROM profiles.guardian_requests r JOIN profiles.profiles p ON p.user_id = r.minor_user_id
            WHERE r.guardian_user_id = $1 AND r.status = 'pending' ORDER BY r.created_at""").execute(Tuple.of(guardian))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("id", r.getUUID("id").toString())
              .put("minor_user_id", r.getUUID("minor_user_id").toString()).put("minor_name", r.getString("full_name"))
              .put("relationship_type", r.getString("relationship_type"))
              .put("created_at", r.getOffsetDateTime("created_at").toString())));
          return out;
        });
  }

  Future<Boolean> idHashUsedByAnother(SqlClient db, UUID userId, String idHash) {
    return db.preparedQuery("SELECT 1 FROM profiles.profiles WHERE id_hash = $1 AND user_id <> $2 LIMIT 1")
        .execute(Tuple.of(idHash, userId)).map(rows -> rows.size() > 0);
  }

  Future<Boolean> setIdDocument(SqlClient db, UUID userId, String type, String country, String encryptedNumber,
                                String idHash, String mediaUrl) {
    return db.preparedQuery("""
            UPDATE profiles.profiles SET id_type = $2, id_country = $3, id_number = $4, id_hash = $5, id_media_url = $6,
                   id_verified_at = NULL, id_verified_by = NULL WHERE user_id = $1""")
        .execute(Tuple.of(userId, type, country, encryptedNumber, idHash, mediaUrl)).map(r -> r.rowCount() == 1);
  }

  Future<Boolean> markIdVerified(SqlClient db, UUID userId, UUID adminId, OffsetDateTime now) {
    return db.preparedQuery("""
            UPDATE profiles.profiles SET id_verified_at = $3, id_verified_by = $2
            WHERE user_id = $1 AND id_hash IS NOT NULL RETURNING user_id""")
        .execute(Tuple.of(userId, adminId, now)).map(r -> r.rowCount() == 1);
  }

  /** Personal fields replaced or cleared; the row stays so that foreign keys and finances hold. */
  Future<Void> erase(SqlClient db, UUID userId, OffsetDateTime now) {
    return db.preparedQuery("""
            UPDATE profiles.profiles SET full_name = 'Utilisateur supprimé', date_of_birth = DATE '1900-01-02',
                   avatar_url = NULL, bio = NULL, guardian_user_id = NULL, relationship_type = NULL, id_number = NULL,
                   id_type = NULL, id_country = NULL, id_hash = NULL, id_media_url = NULL, is_profile_public = false,
                   allow_contact_by_sponsors = false WHERE user_id = $1""").execute(Tuple.of(userId))
        .compose(v -> db.preparedQuery("DELETE FROM profiles.user_addresses WHERE user_id = $1").execute(Tuple.of(userId)))
        .compose(v -> db.preparedQuery("""
                UPDATE profiles.guardian_requests SET status = 'cancelled', responded_at = $2
                WHERE (minor_user_id = $1 OR guardian_user_id = $1) AND status = 'pending'""").execute(Tuple.of(userId, now)))
        .mapEmpty();
  }

  // ------------------------------------------------------------------ addresses

  private static final String ADDRESS_COLUMNS = "id, type, street_address, city, region, country, postal_code, is_default, created_at";

  Future<JsonArray> addresses(SqlClient db, UUID userId) {
    return db.preparedQuery("SELECT " + ADDRESS_COLUMNS + " FROM profiles.user_addresses WHERE user_id = $1 ORDER BY created_at")
        .execute(Tuple.of(userId)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(address(r)));
          return out;
        });
  }

  Future<JsonObject> insertAddress(SqlClient db, UUID userId, JsonObject a) {
    return clearDefault(db, userId, a).compose(v -> db.preparedQuery("""
            INSERT INTO profiles.user_addresses (user_id, type, street_address, city, region, country, postal_code, is_default)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"""
            + " RETURNING " + ADDRESS_COLUMNS)
        .execute(Tuple.from(new Object[] {userId, a.getString("type"), a.getString("street_address"), a.getString("city"),
            a.getString("region"), a.getString("country"), a.getString("postal_code"), a.getBoolean("is_default")})))
        .map(rows -> address(rows.iterator().next()));
  }

  Future<Optional<JsonObject>> updateAddress(SqlClient db, UUID userId, UUID id, JsonObject a) {
    return clearDefault(db, userId, a).compose(v -> db.preparedQuery("""
            UPDATE profiles.user_addresses SET type = $3, street_address = $4, city = $5, region = $6, country = $7,
                   postal_code = $8, is_default = $9 WHERE id = $1 AND user_id = $2"""
            + " RETURNING " + ADDRESS_COLUMNS)
        .execute(Tuple.from(new Object[] {id, userId, a.getString("type"), a.getString("street_address"), a.getString("city"),
            a.getString("region"), a.getString("country"), a.getString("postal_code"), a.getBoolean("is_default")})))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(address(rows.iterator().next())));
  }

  Future<Boolean> deleteAddress(SqlClient db, UUID userId, UUID id) {
    return db.preparedQuery("DELETE FROM profiles.user_addresses WHERE id = $1 AND user_id = $2")
        .execute(Tuple.of(id, userId)).map(r -> r.rowCount() == 1);
  }

  /**
   * Makes room for a new default address. Called in the write's transaction: the user's advisory
   * lock serialises concurrent "make this my default" writes, so the one-default UNIQUE index never
   * fires (ten concurrent requests used to give five 500s).
   */
  private Future<Void> clearDefault(SqlClient db, UUID userId, JsonObject a) {
    if (!a.getBoolean("is_default", false)) return Future.succeededFuture();
    return db.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('addresses:' || $1))").execute(Tuple.of(userId.toString()))
        .compose(v -> db.preparedQuery("UPDATE profiles.user_addresses SET is_default = false WHERE user_id = $1 AND is_default")
            .execute(Tuple.of(userId))).mapEmpty();
  }

  private static JsonObject address(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("type", r.getString("type"))
        .put("street_address", r.getString("street_address")).put("city", r.getString("city"))
        .put("region", r.getString("region")).put("country", r.getString("country"))
        .put("postal_code", r.getString("postal_code")).put("is_default", r.getBoolean("is_default"))
        .put("created_at", r.getOffsetDateTime("created_at").toString());
  }
}
