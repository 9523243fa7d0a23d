package sn.wolo.platform.db;

import sn.wolo.platform.errors.DomainException;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque keyset position for lists newest first: the last item's time and id, base64url. A page
 * is "items before this position", so rows inserted meanwhile never shift a page (no duplicates, no
 * gaps) — unlike offsets. A malformed cursor is a 400 {@code invalid_cursor}.
 */
public record Cursor(OffsetDateTime at, UUID id) {

  public String encode() {
    return encode(at, id.toString());
  }

  /** Null for the first page. */
  public static Cursor decode(String raw) {
    return decode(raw, (at, tail) -> new Cursor(at, UUID.fromString(tail)));
  }

  /** Every list cursor's form: a time and a tie-break ({@code at|tail}), base64url. */
  public static String encode(OffsetDateTime at, String tail) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((at + "|" + tail).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Null for the first page; otherwise what {@code read} makes of the time and the tie-break. Anything
   * malformed (base64, time, or a tail {@code read} refuses by throwing) is a 400 {@code invalid_cursor}.
   */
  public static <T> T decode(String raw, java.util.function.BiFunction<OffsetDateTime, String, T> read) {
    if (raw == null || raw.isEmpty()) return null;
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split("\\|", 2);
      return read.apply(OffsetDateTime.parse(parts[0]), parts[1]);
    } catch (RuntimeException e) {
      throw DomainException.invalid("invalid_cursor", "cursor is the next_cursor of a previous page.");
    }
  }

  /**
   * A page from rows fetched with {@code LIMIT limit + 1} in (time, id) descending order:
   * {@code {"items":[…],"next_cursor"}} — the cursor only when a further row exists.
   */
  public static io.vertx.core.json.JsonObject page(io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows, int limit, String timeColumn,
                                                   java.util.function.Function<io.vertx.sqlclient.Row, io.vertx.core.json.JsonObject> view) {
    io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
    Cursor last = null;
    for (io.vertx.sqlclient.Row r : rows) {
      if (items.size() == limit) break;
      last = new Cursor(r.getOffsetDateTime(timeColumn), r.getUUID("id"));
      items.add(view.apply(r));
    }
    return new io.vertx.core.json.JsonObject().put("items", items).put("next_cursor", rows.size() > limit && last != null ? last.encode() : null);
  }
}
