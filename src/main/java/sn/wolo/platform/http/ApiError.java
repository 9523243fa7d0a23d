package sn.wolo.platform.http;

/**
 * A failure the client can act on: an HTTP status, a stable machine-readable code and a human
 * message. Rendered as {@code {"error":{"code":…,"message":…}}} by {@link ErrorHandler}.
 */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String code;
  private final int retryAfterSeconds;

  public ApiError(int status, String code, String message) {
    this(status, code, message, 0);
  }

  /** With {@code Retry-After} (429, 503): when the client may try again. */
  public ApiError(int status, String code, String message, int retryAfterSeconds) {
    super(message, null, false, false);   // no stack trace: this is control flow, not a bug
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The database cannot be reached: the request may be retried shortly. */
  public static ApiError databaseUnavailable() {
    return new ApiError(503, "database_unavailable", "The database is unavailable; try again shortly.", 5);
  }

  public static ApiError tooManyRequests(String code, String message, long retryAfterSeconds) {
    return new ApiError(429, code, message, (int) Math.max(1, Math.min(retryAfterSeconds, 86_400)));
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "unauthorized", message);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message);
  }

  public static ApiError notFound(String code, String message) {
    return new ApiError(404, code, message);
  }

  public static ApiError conflict(String code, String message) {
    return new ApiError(409, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
