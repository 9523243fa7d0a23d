package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import sn.wolo.notification.channel.PushChannel;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.security.Tokens;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Users' devices for push notifications: an FCM registration token each, never shown back. */
record Devices(Pool pool) implements PushChannel.DeviceTokens {

  private static final String REGISTER = """
      INSERT INTO notifications.user_devices (user_id, platform, token, token_hash, created_at, last_seen_at)
      VALUES ($1, $2, $3, $4, $5, $5)
      ON CONFLICT (token_hash) DO UPDATE SET user_id = EXCLUDED.user_id, platform = EXCLUDED.platform, last_seen_at = EXCLUDED.last_seen_at
      RETURNING id, platform, created_at, last_seen_at, (xmax = 0) AS created""";

  /** Registers (or refreshes) a device; the same token registered again is the same device, now this user's. */
  Future<JsonObject> register(UUID user, String platform, String token, OffsetDateTime now) {
    return pool.preparedQuery(REGISTER).execute(Tuple.of(user, platform, token, Tokens.sha256(token), now))
        .map(rows -> {
          Row r = rows.iterator().next();
          return view(r).put("created", r.getBoolean("created"));
        });
  }

  Future<JsonObject> mine(UUID user) {
    return pool.preparedQuery("SELECT id, platform, created_at, last_seen_at FROM notifications.user_devices WHERE user_id = $1 "
        + "ORDER BY created_at DESC").execute(Tuple.of(user)).map(rows -> {
          JsonArray items = new JsonArray();
          rows.forEach(r -> items.add(view(r)));
          return new JsonObject().put("items", items);
        });
  }

  Future<Void> remove(UUID user, UUID device) {
    return pool.preparedQuery("DELETE FROM notifications.user_devices WHERE id = $1 AND user_id = $2").execute(Tuple.of(device, user))
        .compose(rows -> rows.rowCount() == 0
            ? Future.failedFuture(DomainException.notFound("device_not_found", "No such device of yours.")) : Future.succeededFuture());
  }

  /** The ids of a user's devices, to address a push to each ({@code device:<id>}). */
  Future<List<UUID>> ids(UUID user) {
    return pool.preparedQuery("SELECT id FROM notifications.user_devices WHERE user_id = $1").execute(Tuple.of(user)).map(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(r -> ids.add(r.getUUID("id")));
      return ids;
    });
  }

  /** The ids of several users' devices in one read (a user without any is absent). */
  Future<Map<UUID, List<UUID>>> idsOf(Collection<UUID> users) {
    return pool.preparedQuery("SELECT user_id, id FROM notifications.user_devices WHERE user_id = ANY($1)")
        .execute(Tuple.of((Object) users.toArray(UUID[]::new))).map(rows -> {
          Map<UUID, List<UUID>> ids = new HashMap<>();
          rows.forEach(r -> ids.computeIfAbsent(r.getUUID("user_id"), u -> new ArrayList<>()).add(r.getUUID("id")));
          return ids;
        });
  }

  @Override
  public Future<Optional<String>> token(UUID device) {
    return pool.preparedQuery("SELECT token FROM notifications.user_devices WHERE id = $1").execute(Tuple.of(device))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("token")));
  }

  /** FCM said the token is no longer registered: the device is gone. */
  @Override
  public Future<Void> forget(UUID device) {
    return pool.preparedQuery("DELETE FROM notifications.user_devices WHERE id = $1").execute(Tuple.of(device)).mapEmpty();
  }

  /** Erasure: the user's devices go. */
  static Future<Void> erase(SqlClient tx, UUID user) {
    return tx.preparedQuery("DELETE FROM notifications.user_devices WHERE user_id = $1").execute(Tuple.of(user)).mapEmpty();
  }

  private static JsonObject view(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("platform", r.getString("platform"))
        .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString())
        .put("last_seen_at", r.getOffsetDateTime("last_seen_at").toInstant().toString());
  }
}
