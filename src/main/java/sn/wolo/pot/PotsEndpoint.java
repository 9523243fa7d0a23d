package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import sn.wolo.platform.bus.ContractJson;
import sn.wolo.pot.api.DonationAcceptance;
import sn.wolo.pot.api.LivePot;
import sn.wolo.pot.api.PotList;
import sn.wolo.pot.api.PotTitles;
import sn.wolo.pot.api.PotView;
import sn.wolo.pot.api.Pots;
import sn.wolo.pot.api.PublicPotPage;

import java.util.List;
import java.util.UUID;

/** Serves {@link Pots} from the pot service, the sharing and the repository. */
record PotsEndpoint(Pool pool, PotRepository repo, PotService pots, PotSharing sharing) implements Pots {

  @Override
  public Future<PotView> get(UUID potId, UUID userId, boolean admin) {
    return pots.get(potId, userId, admin).map(PotsEndpoint::view);
  }

  @Override
  public Future<PotTitles> titles(List<UUID> potIds) {
    return repo.titles(pool, potIds).map(PotTitles::new);
  }

  @Override
  public Future<PotList> mine(UUID userId) {
    return repo.byOwner(pool, userId).map(list -> ContractJson.fromJson(new JsonObject().put("pots", list), PotList.class));
  }

  @Override
  public Future<DonationAcceptance> acceptingDonations(UUID potId, String token, UUID donorUserId) {
    return pots.accepting(potId, token, donorUserId).map(json -> ContractJson.fromJson(json, DonationAcceptance.class));
  }

  @Override
  public Future<Void> invitationClicked(String token) {
    return sharing.clicked(token);
  }

  @Override
  public Future<LivePot> livePot(UUID userId) {
    return repo.hasLivePot(pool, userId).map(LivePot::new);
  }

  @Override
  public Future<PotView> preferredPack(UUID potId, UUID userId, String packId) {
    return pots.setPreferredPack(potId, userId, packId).map(PotsEndpoint::view);
  }

  @Override
  public Future<PublicPotPage> publicPage(UUID potId, String token, String cursor, int limit) {
    return sharing.publicPage(potId, token, cursor, limit);
  }

  private static PotView view(JsonObject json) {
    return ContractJson.fromJson(json, PotView.class);
  }
}
