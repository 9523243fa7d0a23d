package sn.wolo.platform.bus;

import io.vertx.core.json.JsonObject;
import sn.wolo.platform.errors.DomainException;

import java.util.UUID;

/** Reading the fields of a bus request. */
public final class Requests {

  private Requests() {
  }

  /** A UUID field; absent or malformed reads as "no such resource" (404 {@code notFoundCode}). */
  public static UUID uuid(JsonObject req, String field, String notFoundCode) {
    try {
      return UUID.fromString(req.getString(field));
    } catch (RuntimeException e) {
      throw DomainException.notFound(notFoundCode, "No such resource.");
    }
  }
}
