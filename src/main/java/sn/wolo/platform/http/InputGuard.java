package sn.wolo.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Hostile input refused before routing, as 400s of the error model:
 * <ul>
 *   <li>paths: a {@code .} or {@code ..} segment (raw or percent-encoded), an encoded slash or
 *   backslash, a backslash, a NUL or another control character — the router would otherwise
 *   normalise {@code DELETE /v1/me/addresses/..} into {@code DELETE /v1/me};</li>
 *   <li>query strings: NUL and control characters;</li>
 *   <li>JSON bodies: a string holding NUL or a control character other than newline, carriage
 *   return and tab (PostgreSQL refuses NUL in text and jsonb) — the answer names the field.</li>
 * </ul>
 * Provider webhooks are exempt from the body check: they are verified against their raw bytes and
 * their intake isolates a bad delivery itself.
 */
public final class InputGuard {

  private InputGuard() {
  }

  /** Before the router: the raw path and query. */
  public static final Handler<RoutingContext> PATHS = ctx -> {
    String raw = ctx.request().path();
    String query = ctx.request().query();
    if (raw == null || !safePath(raw)) {
      ErrorHandler.write(ctx, 400, "invalid_path", "The path contains a forbidden segment or character.");
    } else if (query != null && hasControl(decode(query))) {
      ErrorHandler.write(ctx, 400, "invalid_query", "The query string contains a control character.");
    } else {
      ctx.next();
    }
  };

  /** After the body handler: control characters inside JSON strings. */
  public static final Handler<RoutingContext> BODIES = ctx -> {
    var body = ctx.body();
    if (body == null || body.buffer() == null || body.length() == 0 || ctx.request().path().startsWith("/v1/webhooks/")
        || !mayHoldControl(body.buffer())) {
      ctx.next();
      return;
    }
    Object json;
    try {
      json = body.buffer().toJsonValue();
    } catch (DecodeException e) {
      ctx.next();   // not JSON: the handler answers invalid_json
      return;
    }
    Optional<String> field = controlIn(json, "");
    if (field.isPresent()) {
      String path = field.get().isEmpty() ? "(body)" : field.get();
      ErrorHandler.write(ctx, 400, "invalid_character", "Field " + path + " contains a NUL or control character.");
    } else {
      ctx.next();
    }
  };

  static boolean safePath(String raw) {
    String lower = raw.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c") || raw.indexOf('\\') >= 0) return false;
    String decoded = decode(raw);
    if (decoded == null || hasControl(decoded)) return false;
    for (String segment : decoded.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) return false;
    }
    return true;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean hasControl(String s) {
    if (s == null) return true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
  }

  /** Cheap pre-check on the bytes: a JSON string can only hold a control character as a \\u00XX escape. */
  private static boolean mayHoldControl(Buffer buffer) {
    byte[] b = buffer.getBytes();
    for (int i = 0; i + 5 < b.length; i++) {
      if (b[i] == '\\' && b[i + 1] == 'u' && b[i + 2] == '0' && b[i + 3] == '0' && (b[i + 4] == '0' || b[i + 4] == '1' || b[i + 4] == '7')) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> controlIn(Object value, String path) {
    if (value instanceof String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) return Optional.of(path);
      }
    } else if (value instanceof JsonObject o) {
      for (var e : o) {
        String name = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (hasControl(e.getKey())) return Optional.of(name);
        Optional<String> found = controlIn(e.getValue(), name);
        if (found.isPresent()) return found;
      }
    } else if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        Optional<String> found = controlIn(a.getValue(i), path + "[" + i + "]");
        if (found.isPresent()) return found;
      }
    }
    return Optional.empty();
  }
}
