package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import sn.wolo.platform.bus.Bus;
import sn.wolo.profile.ProfileVerticle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Matures due points, except those earned through a minor whose guardian has not accepted or whose
 * ID is not verified yet, or whose age is not known yet (held a day, then looked at again). Asks the profile domain before it
 * writes, holding no connection meanwhile; the update is conditional, so two instances agree.
 */
final class Maturation {

  private final Vertx vertx;
  private final PointsLedger ledger;

  Maturation(Vertx vertx, PointsLedger ledger) {
    this.vertx = vertx;
    this.ledger = ledger;
  }

  /** Returns how many lines matured. */
  Future<Integer> run() {
    return ledger.due(200).compose(lines -> {
      Map<UUID, Future<Boolean>> confirmed = new HashMap<>();
      for (Row r : lines) {
        UUID invitee = r.getUUID("invitee_user_id");
        if (invitee != null) confirmed.computeIfAbsent(invitee, this::confirmed);
      }
      return Future.join(new ArrayList<>(confirmed.values())).transform(ignored -> {
        List<UUID> mature = new ArrayList<>();
        List<UUID> hold = new ArrayList<>();
        for (Row r : lines) {
          Future<Boolean> ok = r.getUUID("invitee_user_id") == null ? Future.succeededFuture(true) : confirmed.get(r.getUUID("invitee_user_id"));
          (ok.succeeded() && ok.result() ? mature : hold).add(r.getUUID("id"));
        }
        return ledger.hold(hold).compose(v -> ledger.mature(mature));
      });
    });
  }

  /** An adult invitee, or a minor with an accepted guardian and a verified ID. */
  private Future<Boolean> confirmed(UUID invitee) {
    return Bus.call(vertx, ProfileVerticle.address("get"), new JsonObject().put("user_id", invitee.toString()))
        .map(p -> !p.getBoolean("is_minor", false)
            || (p.getBoolean("complete", false) && p.getJsonObject("id_document", new JsonObject()).getString("verified_at") != null))
        .recover(e -> Future.succeededFuture(false));   // no profile yet: the age is unknown, the points wait
  }
}
