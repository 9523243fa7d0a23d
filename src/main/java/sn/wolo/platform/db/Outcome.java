package sn.wolo.platform.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import sn.wolo.platform.errors.DomainException;

/**
 * The result of a transaction that must commit even when the caller gets an error: a wrong OTP
 * must still count the attempt, a reused refresh token must still revoke its session.
 */
public record Outcome(JsonObject value, DomainException error) {

  public static Outcome ok(JsonObject value) {
    return new Outcome(value, null);
  }

  public static Outcome fail(DomainException error) {
    return new Outcome(null, error);
  }

  /** Applied after the commit. */
  public Future<JsonObject> toFuture() {
    return error == null ? Future.succeededFuture(value) : Future.failedFuture(error);
  }
}
