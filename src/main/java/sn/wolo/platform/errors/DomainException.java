package sn.wolo.platform.errors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A failure the caller can act on, raised by domain code: a {@link ErrorKind}, a stable machine-readable
 * code ({@code pot_not_found}), a human message, the invalid fields when there are some, and when to
 * retry. It knows nothing of HTTP: the edge maps the kind to a status; the event bus carries it whole
 * ({@code platform.bus.DomainFailure}), also between JVMs.
 */
public final class DomainException extends RuntimeException {

  private final ErrorKind kind;
  private final String code;
  private final List<FieldError> fields;
  private final int retryAfterSeconds;

  public DomainException(ErrorKind kind, String code, String message) {
    this(kind, code, message, List.of(), 0);
  }

  public DomainException(ErrorKind kind, String code, String message, int retryAfterSeconds) {
    this(kind, code, message, List.of(), retryAfterSeconds);
  }

  public DomainException(ErrorKind kind, String code, String message, List<FieldError> fields, int retryAfterSeconds) {
    super(message, null, false, false);   // no stack trace: this is control flow, not a bug
    this.kind = kind;
    this.code = code;
    this.fields = List.copyOf(fields);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static DomainException invalid(String code, String message) {
    return new DomainException(ErrorKind.INVALID, code, message);
  }

  public static DomainException unauthenticated(String message) {
    return new DomainException(ErrorKind.UNAUTHENTICATED, "unauthorized", message);
  }

  public static DomainException forbidden(String message) {
    return new DomainException(ErrorKind.FORBIDDEN, "forbidden", message);
  }

  public static DomainException notFound(String code, String message) {
    return new DomainException(ErrorKind.NOT_FOUND, code, message);
  }

  public static DomainException conflict(String code, String message) {
    return new DomainException(ErrorKind.CONFLICT, code, message);
  }

  public static DomainException rateLimited(String code, String message, long retryAfterSeconds) {
    return new DomainException(ErrorKind.RATE_LIMITED, code, message, (int) Math.max(1, Math.min(retryAfterSeconds, 86_400)));
  }

  /** The database cannot be reached: the request may be retried shortly. */
  public static DomainException databaseUnavailable() {
    return new DomainException(ErrorKind.UNAVAILABLE, "database_unavailable", "The database is unavailable; try again shortly.", 5);
  }

  public static DomainException internal() {
    return new DomainException(ErrorKind.INTERNAL, "internal_error", "internal error");
  }

  public ErrorKind kind() {
    return kind;
  }

  public String code() {
    return code;
  }

  public List<FieldError> fields() {
    return fields;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The wire form on the event bus: {@code {"kind","code","message","fields":[…],"retry_after_seconds"}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("kind", kind.name()).put("code", code).put("message", getMessage());
    if (!fields.isEmpty()) json.put("fields", new JsonArray(fields.stream().map(FieldError::toJson).toList()));
    if (retryAfterSeconds > 0) json.put("retry_after_seconds", retryAfterSeconds);
    return json;
  }

  public static DomainException fromJson(JsonObject json) {
    ErrorKind kind;
    try {
      kind = ErrorKind.valueOf(json.getString("kind", "INTERNAL"));
    } catch (IllegalArgumentException e) {
      kind = ErrorKind.INTERNAL;   // a newer node's kind: treated as a failure, never as success
    }
    JsonArray fields = json.getJsonArray("fields", new JsonArray());
    return new DomainException(kind, json.getString("code", "internal_error"), json.getString("message", ""),
        fields.stream().map(f -> FieldError.fromJson((JsonObject) f)).toList(), json.getInteger("retry_after_seconds", 0));
  }
}
