package sn.wolo.pack.api;

import io.vertx.core.Future;
import sn.wolo.platform.bus.BusContract;

import java.util.UUID;

/** What other domains ask the pack catalogue (served by {@code PackVerticle}). */
@BusContract(domain = "pack")
public interface PackDirectory {

  /** A pack, whether on sale today or not ({@code NOT_FOUND pack_not_found}). */
  Future<PackOffer> get(UUID packId);

  /** The partner this user works for ({@code FORBIDDEN not_a_partner_user} otherwise). */
  Future<PartnerMembership> partnerOf(UUID userId);
}
