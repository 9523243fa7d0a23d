package sn.wolo.platform.http;

import sn.wolo.platform.errors.ErrorKind;

import java.util.EnumMap;
import java.util.Map;

/** The one table from a domain's kind of failure to an HTTP status. */
public final class HttpStatuses {

  private static final Map<ErrorKind, Integer> STATUS = new EnumMap<>(Map.ofEntries(
      Map.entry(ErrorKind.INVALID, 400),
      Map.entry(ErrorKind.UNAUTHENTICATED, 401),
      Map.entry(ErrorKind.FORBIDDEN, 403),
      Map.entry(ErrorKind.NOT_FOUND, 404),
      Map.entry(ErrorKind.CONFLICT, 409),
      Map.entry(ErrorKind.UNPROCESSABLE, 422),
      Map.entry(ErrorKind.UNSUPPORTED_MEDIA_TYPE, 415),
      Map.entry(ErrorKind.RATE_LIMITED, 429),
      Map.entry(ErrorKind.INTERNAL, 500),
      Map.entry(ErrorKind.NOT_IMPLEMENTED, 501),
      Map.entry(ErrorKind.UPSTREAM_FAILED, 502),
      Map.entry(ErrorKind.UNAVAILABLE, 503)));

  private HttpStatuses() {
  }

  public static int of(ErrorKind kind) {
    return STATUS.get(kind);
  }
}
