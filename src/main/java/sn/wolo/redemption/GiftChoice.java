package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import sn.wolo.pack.api.PackDirectory;
import sn.wolo.platform.bus.ContractJson;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.pot.api.Pots;

import java.util.UUID;

/**
 * The owner picks the pack their pot will buy ({@code PUT /v1/pots/{id}/gift}): it must be on sale
 * and cost no more than the pot holds now (409 {@code insufficient_funds} with the shortfall). The
 * choice is the pot's {@code preferred_pack_id}; the conversion checks everything again under lock.
 */
final class GiftChoice {

  private final Pots pots;
  private final PackDirectory packs;

  GiftChoice(Vertx vertx) {
    this.pots = TypedBus.proxy(vertx, Pots.class);
    this.packs = TypedBus.proxy(vertx, PackDirectory.class);
  }

  Future<JsonObject> choose(UUID potId, UUID owner, UUID packId) {
    return pots.get(potId, owner, false).compose(pot -> {
      if (!owner.equals(pot.ownerUserId())) throw DomainException.notFound("pot_not_found", "No such pot.");
      if (pot.gift() != null) throw DomainException.conflict("gift_already_converted", "This pot's gift was already issued.");
      return packs.get(packId).compose(pack -> {
        if (!pack.isActive()) throw DomainException.conflict("pack_unavailable", "This pack is not on sale.");
        long price = pack.priceCfa();
        long raised = pot.raisedCfa();
        if (price > raised) throw GiftConversion.insufficient(price, raised);
        return pots.preferredPack(potId, owner, packId.toString())
            .map(updated -> new JsonObject().put("pot_id", potId.toString()).put("pack", ContractJson.toJson(pack))
                .put("price_cfa", price).put("raised_cfa", raised).put("surplus_cfa", raised - price));
      });
    });
  }
}
