package sn.wolo.profile.api;

import io.vertx.core.Future;
import sn.wolo.platform.bus.BusContract;

import java.util.UUID;

/** What other domains ask of profiles (served by {@code ProfileVerticle}). */
@BusContract(domain = "profile")
public interface Profiles {

  /** The owner's view of a profile ({@code NOT_FOUND profile_not_found}). */
  Future<Profile> get(UUID userId);

  /** Whether this user may own a pot now: a profile, and a guardian for a minor. */
  Future<PotOwnership> canOwnPot(UUID userId);

  /**
   * Sign-up, step 1: validates the profile part before any account exists ({@code INVALID …},
   * {@code UNPROCESSABLE guardian_required} for a minor without a guardian's phone).
   */
  Future<PreparedProfile> prepare(ProfileDraft draft);

  /** Sign-up, step 2: the profile of the account just made ({@code CONFLICT profile_exists}). */
  Future<Profile> create(UUID userId, PreparedProfile prepared);
}
