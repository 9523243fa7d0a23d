package sn.wolo.profile;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.errors.DomainException;

import java.util.Set;
import java.util.UUID;

/** {@code wolo.profile.addresses}: {@code {"user_id","op":"list|create|update|delete","id"?,"address"?}}. */
final class AddressCommands {

  private static final Set<String> TYPES = Set.of("primary", "billing", "delivery");
  private final ProfileRepository repo;
  private final Pool pool;

  AddressCommands(ProfileRepository repo, Pool pool) {
    this.repo = repo;
    this.pool = pool;
  }

  Future<JsonObject> handle(JsonObject req) {
    UUID userId = UUID.fromString(req.getString("user_id"));
    String op = req.getString("op", "list");
    return switch (op) {
      case "list" -> repo.addresses(pool, userId).map(list -> new JsonObject().put("addresses", list));
      case "create" -> pool.withTransaction(tx -> repo.insertAddress(tx, userId, validate(req.getJsonObject("address"))));
      case "update" -> pool.withTransaction(tx -> repo.updateAddress(tx, userId, id(req), validate(req.getJsonObject("address"))))
          .map(found -> found.orElseThrow(AddressCommands::notFound));
      case "delete" -> repo.deleteAddress(pool, userId, id(req)).map(deleted -> {
        if (!deleted) throw notFound();
        return new JsonObject();
      });
      default -> Future.failedFuture(DomainException.invalid("invalid_op", "unknown address operation"));
    };
  }

  private static JsonObject validate(JsonObject a) {
    if (a == null) throw DomainException.invalid("invalid_json", "An address object is required.");
    String type = a.getValue("type") instanceof String s ? s : "primary";
    if (!TYPES.contains(type)) throw DomainException.invalid("invalid_address_type", "type is one of " + TYPES);
    JsonObject out = new JsonObject().put("type", type).put("is_default", Boolean.TRUE.equals(a.getValue("is_default")));
    for (String[] f : new String[][] {{"street_address", "500"}, {"city", "100"}, {"region", "100"}, {"postal_code", "10"}}) {
      Object v = a.getValue(f[0]);
      if (v != null && (!(v instanceof String s) || s.length() > Integer.parseInt(f[1]))) {
        throw DomainException.invalid("invalid_" + f[0], f[0] + " is text of at most " + f[1] + " characters.");
      }
      out.put(f[0], v);
    }
    Object country = a.getValue("country");
    String c = country instanceof String s ? s.toUpperCase() : "SEN";
    if (!c.matches("[A-Z]{3}")) throw DomainException.invalid("invalid_country", "country is an ISO 3166 alpha-3 code.");
    if (out.getString("city") == null && out.getString("street_address") == null) {
      throw DomainException.invalid("empty_address", "Give at least a city or a street address.");
    }
    return out.put("country", c);
  }

  private static UUID id(JsonObject req) {
    try {
      return UUID.fromString(req.getString("id"));
    } catch (RuntimeException e) {
      throw notFound();
    }
  }

  private static DomainException notFound() {
    return DomainException.notFound("address_not_found", "No such address.");
  }
}
