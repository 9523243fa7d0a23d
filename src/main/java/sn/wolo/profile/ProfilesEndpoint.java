package sn.wolo.profile;

import io.vertx.core.Future;
import sn.wolo.platform.bus.ContractJson;
import sn.wolo.profile.api.PotOwnership;
import sn.wolo.profile.api.PreparedProfile;
import sn.wolo.profile.api.Profile;
import sn.wolo.profile.api.ProfileDraft;
import sn.wolo.profile.api.Profiles;

import java.util.UUID;

/** Serves {@link Profiles} from the profile service. */
record ProfilesEndpoint(ProfileService service) implements Profiles {

  @Override
  public Future<Profile> get(UUID userId) {
    return service.view(userId).map(json -> ContractJson.fromJson(json, Profile.class));
  }

  @Override
  public Future<PotOwnership> canOwnPot(UUID userId) {
    return service.canOwnPot(userId).map(json -> ContractJson.fromJson(json, PotOwnership.class));
  }

  @Override
  public Future<PreparedProfile> prepare(ProfileDraft draft) {
    return service.prepare(ContractJson.toRequest(draft)).map(json -> ContractJson.fromJson(json, PreparedProfile.class));
  }

  @Override
  public Future<Profile> create(UUID userId, PreparedProfile prepared) {
    return service.create(ContractJson.toRequest(prepared).put("user_id", userId.toString()))
        .map(json -> ContractJson.fromJson(json, Profile.class));
  }
}
