package sn.wolo.profile;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.security.KeyRing;
import sn.wolo.profile.api.Profiles;

import java.util.UUID;

/**
 * Profiles: personal data, guardians of minors, ID checks, addresses (schema profiles).
 *
 * <p>Other domains use its contract {@link Profiles} (sign-up, the owner's view, pot ownership); the
 * other addresses ({@code wolo.profile.*}) serve this domain's HTTP API, and {@code erase}. It also erases on {@code identity.user_erased} events (idempotent).
 */
public final class ProfileVerticle extends DomainVerticle {

  public static final String DOMAIN = "profile";

  public static String address(String verb) {
    return Addresses.request(DOMAIN, verb);
  }

  private ProfileService service;

  public ProfileVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    service = new ProfileService(vertx, pool, app.clock(), KeyRing.fromBase64(ProfileSettings.from(app.config()).masterKey()));
    TypedBus.bind(vertx, Profiles.class, new ProfilesEndpoint(service));
    Bus.serve(vertx, address("upsert"), req -> service.upsert(userId(req), req.getJsonObject("profile", new JsonObject())));
    Bus.serve(vertx, address("public"), req -> service.publicView(userId(req), req.getString("viewer_id"),
        req.getBoolean("viewer_is_admin", false)));
    Bus.serve(vertx, address("guardian-answer"), req -> service.acceptGuardian(userId(req),
        UUID.fromString(req.getString("request_id")), req.getBoolean("accept", false)));
    Bus.serve(vertx, address("guardian-requests"), req -> service.repository().requestsForGuardian(pool, userId(req))
        .map(list -> new JsonObject().put("requests", list)));
    Bus.serve(vertx, address("submit-id"), req -> service.submitId(userId(req), req.getJsonObject("document", new JsonObject())));
    Bus.serve(vertx, address("verify-id"), req -> service.verifyId(userId(req), UUID.fromString(req.getString("admin_id"))));
    Bus.serve(vertx, address("erase"), req -> service.erase(userId(req)));
    Bus.serve(vertx, address("addresses"), new AddressCommands(service.repository(), pool)::handle);
    react("profile.erasure", java.util.Set.of("identity.user_erased"), e ->
        service.erase(UUID.fromString(e.payload().getString("user_id"))).mapEmpty());
    return Future.succeededFuture();
  }

  @Override
  protected Future<JsonObject> exportUserData(String userId) {
    return service.export(UUID.fromString(userId));
  }

  private static UUID userId(JsonObject req) {
    return UUID.fromString(req.getString("user_id"));
  }
}
