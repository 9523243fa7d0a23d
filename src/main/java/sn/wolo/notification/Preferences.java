package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.errors.DomainException;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A user's notification switches ({@code notifications.notification_preferences}), defaults when unset. */
final class Preferences {

  static final List<String> FLAGS = List.of("email_enabled", "sms_enabled", "whatsapp_enabled", "push_enabled",
      "referral_notifications", "pot_notifications", "donation_notifications", "marketing_notifications");
  private static final Set<String> DIGESTS = Set.of("immediate", "daily", "weekly");
  private static final String SELECT = "SELECT user_id, " + String.join(", ", FLAGS)
      + ", digest_frequency, quiet_hours_start, quiet_hours_end FROM notifications.notification_preferences WHERE user_id = ANY($1)";
  // In user order: two bursts naming the same new users in different orders each waited for a row the
  // other had just inserted — a deadlock that failed whole bursts (NotificationsTest, overlapping bursts).
  private static final String DEFAULTS = """
      INSERT INTO notifications.notification_preferences (user_id) SELECT u FROM unnest($1::uuid[]) AS u ORDER BY u
      ON CONFLICT (user_id) DO NOTHING""";

  private final Pool pool;

  Preferences(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> get(UUID userId) {
    return getAll(Set.of(userId)).map(all -> all.get(userId));
  }

  /** Several users' switches in one read (a burst's messages); the defaults are stored for those without a row yet. */
  Future<Map<UUID, JsonObject>> getAll(Set<UUID> userIds) {
    if (userIds.isEmpty()) return Future.succeededFuture(Map.of());
    return read(userIds).compose(found -> {
      if (found.size() == userIds.size()) return Future.succeededFuture(found);
      // No row yet: the table's defaults are the answer (read them from PostgreSQL, not a copy in Java).
      UUID[] missing = userIds.stream().filter(id -> !found.containsKey(id)).toArray(UUID[]::new);
      return pool.preparedQuery(DEFAULTS).execute(Tuple.of((Object) missing))
          .compose(v -> read(Set.of(missing)))
          .map(added -> {
            Map<UUID, JsonObject> all = new HashMap<>(found);
            all.putAll(added);
            return all;
          });
    });
  }

  private Future<Map<UUID, JsonObject>> read(Set<UUID> userIds) {
    return pool.preparedQuery(SELECT).execute(Tuple.of((Object) userIds.toArray(UUID[]::new))).map(rows -> {
      Map<UUID, JsonObject> found = new HashMap<>();
      rows.forEach(r -> found.put(r.getUUID("user_id"), toJson(r)));
      return found;
    });
  }

  Future<JsonObject> put(UUID userId, JsonObject in) {
    List<Object> values = new ArrayList<>();
    values.add(userId);
    StringBuilder cols = new StringBuilder("user_id");
    StringBuilder params = new StringBuilder("$1");
    StringBuilder updates = new StringBuilder("updated_at = now()");
    for (String flag : FLAGS) {
      if (!in.containsKey(flag)) continue;
      if (!(in.getValue(flag) instanceof Boolean b)) throw DomainException.invalid("invalid_" + flag, flag + " is true or false.");
      add(values, cols, params, updates, flag, b);
    }
    if (in.containsKey("digest_frequency")) {
      String d = in.getValue("digest_frequency") instanceof String s ? s : "";
      if (!DIGESTS.contains(d)) throw DomainException.invalid("invalid_digest_frequency", "digest_frequency is one of " + DIGESTS);
      add(values, cols, params, updates, "digest_frequency", d);
    }
    for (String t : List.of("quiet_hours_start", "quiet_hours_end")) {
      if (in.containsKey(t)) add(values, cols, params, updates, t, time(in.getValue(t), t));
    }
    String sql = "INSERT INTO notifications.notification_preferences (" + cols + ") VALUES (" + params
        + ") ON CONFLICT (user_id) DO UPDATE SET " + updates;
    return pool.preparedQuery(sql).execute(Tuple.from(values)).compose(v -> get(userId));
  }

  private static void add(List<Object> values, StringBuilder cols, StringBuilder params, StringBuilder updates,
                          String column, Object value) {
    values.add(value);
    cols.append(", ").append(column);
    params.append(", $").append(values.size());
    updates.append(", ").append(column).append(" = EXCLUDED.").append(column);
  }

  private static LocalTime time(Object v, String field) {
    try {
      return LocalTime.parse(String.valueOf(v));
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("invalid_" + field, field + " is a time such as 22:00.");
    }
  }

  private static JsonObject toJson(Row r) {
    JsonObject out = new JsonObject();
    FLAGS.forEach(f -> out.put(f, r.getBoolean(f)));
    return out.put("digest_frequency", r.getString("digest_frequency"))
        .put("quiet_hours_start", r.getLocalTime("quiet_hours_start").toString())
        .put("quiet_hours_end", r.getLocalTime("quiet_hours_end").toString());
  }
}
