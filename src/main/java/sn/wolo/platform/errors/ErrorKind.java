package sn.wolo.platform.errors;

/**
 * What kind of "no" a domain answers, independent of any transport. The HTTP edge maps each kind to
 * a status in one table ({@code platform.http.HttpStatuses}); the event bus carries it by name.
 */
public enum ErrorKind {
  /** The request breaks a rule of its shape or values. */
  INVALID,
  /** Who is asking is not known (no, expired or revoked credentials). */
  UNAUTHENTICATED,
  /** Known, but not allowed. */
  FORBIDDEN,
  NOT_FOUND,
  /** The state of the resource does not allow it now (already done, taken, closed). */
  CONFLICT,
  /** Well-formed, understood, and refused by a business rule. */
  UNPROCESSABLE,
  /** The body is not in a media type the operation takes. */
  UNSUPPORTED_MEDIA_TYPE,
  /** Too many attempts: try again after {@code retryAfterSeconds}. */
  RATE_LIMITED,
  /** A feature this deployment does not offer. */
  NOT_IMPLEMENTED,
  /** An outside provider (Wave, a notification gateway) failed. */
  UPSTREAM_FAILED,
  /** A dependency (the database) is down for now: try again shortly. */
  UNAVAILABLE,
  /** A bug: details stay in the log of the side that failed. */
  INTERNAL
}
