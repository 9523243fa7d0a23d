package sn.wolo.pot.api;

import io.vertx.core.Future;
import sn.wolo.platform.bus.BusContract;

import java.util.List;
import java.util.UUID;

/** What other domains ask of pots (served by {@code PotVerticle}). */
@BusContract(domain = "pot")
public interface Pots {

  /**
   * A pot as its owner sees it. {@code userId} is who asks (null: the platform itself); another user
   * gets {@code NOT_FOUND pot_not_found} unless {@code admin}.
   */
  Future<PotView> get(UUID potId, UUID userId, boolean admin);

  /** Pots' titles, one read for many (a burst's messages name the pots they credit); unknown ids are left out. */
  Future<PotTitles> titles(List<UUID> potIds);

  /** The user's pots, newest first. */
  Future<PotList> mine(UUID userId);

  /**
   * Whether the pot takes a donation now. A private or friends-only pot is found only with a share
   * {@code token} of one of its invitations, or by its owner; {@code NOT_FOUND pot_not_found} otherwise.
   */
  Future<DonationAcceptance> acceptingDonations(UUID potId, String token, UUID donorUserId);

  /** The invitation behind this share token was used (a donation came through it). */
  Future<Void> invitationClicked(String token);

  /** Whether the user has a pot that is scheduled, open or funded (their birthday is then locked). */
  Future<LivePot> livePot(UUID userId);

  /**
   * The owner's choice of the pack the pot will buy, {@code packId} as the client sent it
   * ({@code INVALID invalid_pack_id}, {@code CONFLICT pack_unavailable}); the pot after the change.
   */
  Future<PotView> preferredPack(UUID potId, UUID userId, String packId);

  /** The public page of a pot: progress, a page of donors ({@code NOT_FOUND pot_not_found} without the token it needs). */
  Future<PublicPotPage> publicPage(UUID potId, String token, String cursor, int limit);
}
