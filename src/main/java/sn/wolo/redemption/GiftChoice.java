package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import sn.wolo.pack.PackVerticle;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.http.ApiError;
import sn.wolo.pot.PotVerticle;

import java.util.UUID;

/**
 * The owner picks the pack their pot will buy ({@code PUT /v1/pots/{id}/gift}): it must be on sale
 * and cost no more than the pot holds now (409 {@code insufficient_funds} with the shortfall). The
 * choice is the pot's {@code preferred_pack_id}; the conversion checks everything again under lock.
 */
final class GiftChoice {

  private final Vertx vertx;

  GiftChoice(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<JsonObject> choose(UUID potId, UUID owner, UUID packId) {
    JsonObject potRequest = new JsonObject().put("pot_id", potId.toString()).put("user_id", owner.toString());
    return Bus.call(vertx, PotVerticle.address("get"), potRequest).compose(pot -> {
      if (!owner.toString().equals(pot.getString("owner_user_id"))) throw ApiError.notFound("pot_not_found", "No such pot.");
      if (pot.getValue("gift") != null) throw ApiError.conflict("gift_already_converted", "This pot's gift was already issued.");
      return Bus.call(vertx, PackVerticle.GET, new JsonObject().put("pack_id", packId.toString())).compose(pack -> {
        if (!pack.getBoolean("is_active", false)) throw ApiError.conflict("pack_unavailable", "This pack is not on sale.");
        long price = pack.getLong("price_cfa");
        long raised = pot.getLong("raised_cfa");
        if (price > raised) throw GiftConversion.insufficient(price, raised);
        return Bus.call(vertx, PotVerticle.address("preferred-pack"), potRequest.copy().put("pack_id", packId.toString()))
            .map(updated -> new JsonObject().put("pot_id", potId.toString()).put("pack", pack)
                .put("price_cfa", price).put("raised_cfa", raised).put("surplus_cfa", raised - price));
      });
    });
  }
}
