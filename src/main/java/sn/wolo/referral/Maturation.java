package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.profile.api.Profiles;

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
  private final Profiles profiles;
  private final PointsLedger ledger;

  Maturation(Vertx vertx, PointsLedger ledger) {
    this.vertx = vertx;
    this.profiles = TypedBus.proxy(vertx, Profiles.class);
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
    return profiles.get(invitee)
        .map(p -> !p.isMinor() || (p.complete() && p.idDocument() != null && p.idDocument().verifiedAt() != null))
        .recover(e -> Future.succeededFuture(false));   // no profile yet: the age is unknown, the points wait
  }
}
