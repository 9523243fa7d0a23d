package sn.wolo.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of {@code identity.users}. */
final class Users {

  record User(UUID id, String phone, String email, String passwordHash, List<String> roles, boolean active, boolean created) {
  }

  private static final String COLUMNS = "id, phone, email, password_hash, roles, is_active";
  private static final String FIND_OR_CREATE_PHONE = """
      WITH inserted AS (
        INSERT INTO identity.users (phone, auth_provider, created_at, updated_at) VALUES ($1, 'phone', $2, $2)
        ON CONFLICT (phone) DO NOTHING RETURNING %s, true AS created)
      SELECT * FROM inserted
      UNION ALL SELECT %s, false AS created FROM identity.users WHERE phone = $1 AND NOT EXISTS (SELECT 1 FROM inserted)"""
      .formatted(COLUMNS, COLUMNS);
  private static final String INSERT_EMAIL = """
      INSERT INTO identity.users (email, password_hash, auth_provider, marketing_consent_at, created_at, updated_at)
      VALUES ($1, $2, 'email', $3, $4, $4) ON CONFLICT (email) DO NOTHING RETURNING %s, true AS created""".formatted(COLUMNS);
  private static final String BY_EMAIL = "SELECT %s, false AS created FROM identity.users WHERE email = $1".formatted(COLUMNS);
  private static final String BY_ID = "SELECT %s, false AS created FROM identity.users WHERE id = $1".formatted(COLUMNS);
  private static final String BY_IDS = "SELECT %s, false AS created FROM identity.users WHERE id = ANY($1)".formatted(COLUMNS);
  private static final String BY_PHONE = "SELECT %s, false AS created FROM identity.users WHERE phone = $1".formatted(COLUMNS);
  private static final String TOUCH_LOGIN = "UPDATE identity.users SET last_login_at = $2 WHERE id = $1";
  private static final String SET_PASSWORD = "UPDATE identity.users SET password_hash = $2 WHERE id = $1";
  private static final String EXPORT = """
      SELECT id, phone, email, auth_provider, roles, is_active, created_at, last_login_at, marketing_consent_at
      FROM identity.users WHERE id = $1""";
  private static final String ERASE = """
      UPDATE identity.users SET phone = NULL, email = NULL, password_hash = NULL, is_active = false,
             marketing_consent_at = NULL, erased_at = COALESCE(erased_at, $2)
      WHERE id = $1 RETURNING id""";
  private static final String CONSENT = "UPDATE identity.users SET marketing_consent_at = $2 WHERE id = $1 AND erased_at IS NULL";

  Future<User> findOrCreateByPhone(SqlClient db, String phone, OffsetDateTime now) {
    return db.preparedQuery(FIND_OR_CREATE_PHONE).execute(Tuple.of(phone, now)).map(rows -> one(rows).orElseThrow());
  }

  /** Empty when the email is taken. */
  Future<Optional<User>> insertWithEmail(SqlClient db, String email, String passwordHash, OffsetDateTime consentAt, OffsetDateTime now) {
    return db.preparedQuery(INSERT_EMAIL).execute(Tuple.of(email, passwordHash, consentAt, now)).map(Users::one);
  }

  Future<Optional<User>> byEmail(SqlClient db, String email) {
    return db.preparedQuery(BY_EMAIL).execute(Tuple.of(email)).map(Users::one);
  }

  /** Which of these numbers already have an account: one query for a batch. */
  Future<List<String>> existingPhones(SqlClient db, List<String> phones) {
    return db.preparedQuery("SELECT phone FROM identity.users WHERE phone = ANY($1)")
        .execute(io.vertx.sqlclient.Tuple.of((Object) phones.toArray(String[]::new)))
        .map(rows -> {
          List<String> existing = new java.util.ArrayList<>();
          rows.forEach(r -> existing.add(r.getString("phone")));
          return existing;
        });
  }

  Future<Optional<User>> byId(SqlClient db, UUID id) {
    return db.preparedQuery(BY_ID).execute(Tuple.of(id)).map(Users::one);
  }

  Future<List<User>> byIds(SqlClient db, List<UUID> ids) {
    return db.preparedQuery(BY_IDS).execute(Tuple.of((Object) ids.toArray(UUID[]::new))).map(rows -> {
      List<User> users = new java.util.ArrayList<>();
      rows.forEach(r -> users.add(user(r)));
      return users;
    });
  }

  Future<Optional<User>> byPhone(SqlClient db, String phone) {
    return db.preparedQuery(BY_PHONE).execute(Tuple.of(phone)).map(Users::one);
  }

  Future<Void> touchLogin(SqlClient db, UUID id, OffsetDateTime now) {
    return db.preparedQuery(TOUCH_LOGIN).execute(Tuple.of(id, now)).mapEmpty();
  }

  Future<Void> setPassword(SqlClient db, UUID id, String hash) {
    return db.preparedQuery(SET_PASSWORD).execute(Tuple.of(id, hash)).mapEmpty();
  }

  Future<Void> setMarketingConsent(SqlClient db, UUID id, OffsetDateTime at) {
    return db.preparedQuery(CONSENT).execute(Tuple.of(id, at)).mapEmpty();
  }

  /** Anonymises the account: contact data and credentials go, the id stays for the financial records. */
  Future<Boolean> erase(SqlClient db, UUID id, OffsetDateTime now) {
    return db.preparedQuery(ERASE).execute(Tuple.of(id, now)).map(rows -> rows.rowCount() > 0);
  }

  Future<JsonObject> export(SqlClient db, UUID id) {
    return db.preparedQuery(EXPORT).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) return new JsonObject();
      Row r = rows.iterator().next();
      return new JsonObject().put("id", r.getUUID("id").toString()).put("phone", r.getString("phone"))
          .put("email", r.getString("email")).put("auth_provider", r.getString("auth_provider"))
          .put("roles", new JsonArray(List.of(r.getArrayOfStrings("roles"))))
          .put("is_active", r.getBoolean("is_active"))
          .put("created_at", String.valueOf(r.getOffsetDateTime("created_at")))
          .put("last_login_at", r.getOffsetDateTime("last_login_at") == null ? null : r.getOffsetDateTime("last_login_at").toString())
          .put("marketing_consent_at", r.getOffsetDateTime("marketing_consent_at") == null ? null
              : r.getOffsetDateTime("marketing_consent_at").toString());
    });
  }

  private static Optional<User> one(RowSet<Row> rows) {
    if (rows.size() == 0) return Optional.empty();
    return Optional.of(user(rows.iterator().next()));
  }

  private static User user(Row r) {
    return new User(r.getUUID("id"), r.getString("phone"), r.getString("email"), r.getString("password_hash"),
        List.of(r.getArrayOfStrings("roles")), r.getBoolean("is_active"), r.getBoolean("created"));
  }
}
