package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active message templates, each read at most once a minute: they change only with a migration,
 * while a burst of donations renders the same two templates thousands of times.
 */
final class Templates {

  /** A template as the renderer needs it. */
  record Template(UUID id, String subject, String bodyText, JsonObject variables) {
  }

  private static final String SELECT = """
      SELECT id, subject, body_text, variables FROM notifications.notification_templates
      WHERE template_key = $1 AND locale = $2 AND is_active""";
  private static final long FRESH_NANOS = 60_000_000_000L;

  private record Loaded(Future<Optional<Template>> template, long at) {
  }

  private final Pool pool;
  private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

  Templates(Pool pool) {
    this.pool = pool;
  }

  /** The active template of this key and locale, or empty. */
  Future<Optional<Template>> get(String key, String locale) {
    String id = key + "/" + locale;
    long now = System.nanoTime();
    Loaded hit = loaded.get(id);
    if (hit != null && now - hit.at() < FRESH_NANOS && !hit.template().failed()) return hit.template();
    Future<Optional<Template>> read = pool.preparedQuery(SELECT).execute(Tuple.of(key, locale)).map(rows -> {
      if (rows.size() == 0) return Optional.<Template>empty();
      Row t = rows.iterator().next();
      return Optional.of(new Template(t.getUUID("id"), t.getString("subject"), t.getString("body_text"), (JsonObject) t.getValue("variables")));
    });
    loaded.put(id, new Loaded(read, now));
    return read;
  }
}
