package sn.wolo.pack;

import io.vertx.core.Future;
import sn.wolo.pack.api.PackDirectory;
import sn.wolo.pack.api.PackOffer;
import sn.wolo.pack.api.PartnerMembership;
import sn.wolo.platform.bus.ContractJson;

import java.util.UUID;

/** Serves {@link PackDirectory} from the catalogue and the partners. */
record PackDirectoryEndpoint(Catalogue catalogue, Partners partners) implements PackDirectory {

  @Override
  public Future<PackOffer> get(UUID packId) {
    return catalogue.forDomains(packId).map(json -> ContractJson.fromJson(json, PackOffer.class));
  }

  @Override
  public Future<PartnerMembership> partnerOf(UUID userId) {
    return partners.partnerOf(userId).map(json -> ContractJson.fromJson(json, PartnerMembership.class));
  }
}
