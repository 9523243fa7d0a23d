package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import sn.wolo.pack.api.PackDirectory;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;
import sn.wolo.pot.api.PotStatus;
import sn.wolo.profile.api.Profiles;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Creating and managing pots: the owner's side. */
final class PotService {

  private final Vertx vertx;
  private final Profiles profiles;
  private final PackDirectory packs;
  private final Pool pool;
  private final Clock clock;
  private final PotSettings settings;
  private final PotRepository repo;

  PotService(Vertx vertx, Pool pool, Clock clock, PotSettings settings, PotRepository repo) {
    this.vertx = vertx;
    this.profiles = TypedBus.proxy(vertx, Profiles.class);
    this.packs = TypedBus.proxy(vertx, PackDirectory.class);
    this.pool = pool;
    this.clock = clock;
    this.settings = settings;
    this.repo = repo;
  }

  /** The birthday comes from the owner's profile; minors need an accepted guardian. */
  Future<JsonObject> create(UUID owner, JsonObject body) {
    JsonObject in = PotInput.forCreate(body, settings);
    return profiles.canOwnPot(owner)
        .compose(decision -> {
          if (!decision.allowed()) {
            return "guardian_required".equals(decision.reason())
                ? Future.failedFuture(new DomainException(ErrorKind.FORBIDDEN, "guardian_required", "A minor's pot needs a guardian who accepted the link."))
                : Future.failedFuture(new DomainException(ErrorKind.CONFLICT, "profile_required", "Create your profile (with your date of birth) first."));
          }
          Instant now = clock.instant();
          LocalDate birthday = Birthdays.next(decision.dateOfBirth(),
              Times.dakarToday(clock));
          Instant opensAt = Birthdays.opensAt(birthday);
          boolean openNow = !opensAt.isAfter(now);
          return pool.withTransaction(tx -> repo.insert(tx, owner, in, birthday, Times.utc(opensAt), Times.utc(Birthdays.closesAt(birthday)),
                  openNow, Times.utc(now))
              .compose(row -> {
                List<DomainEvent> events = new ArrayList<>();
                JsonObject payload = new JsonObject().put("pot_id", row.getUUID("id").toString()).put("owner_user_id", owner.toString())
                    .put("birthday_date", birthday.toString());
                events.add(DomainEvent.of("pot.created", "pot", row.getUUID("id"), payload, now));
                if (openNow) events.add(DomainEvent.of("pot.opened", "pot", row.getUUID("id"), payload.copy(), now));
                return Outbox.appendAll(tx, events).map(PotViews.owner(row));
              }))
              .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
                  ? Future.failedFuture(DomainException.conflict("pot_already_exists", "You already have a pot for your next birthday."))
                  : Future.failedFuture(e));
        });
  }

  Future<JsonObject> get(UUID potId, UUID caller, boolean admin) {
    return owned(potId, caller, admin).map(PotViews::owner);
  }

  /** Fields that make sense per state: everything before opening, presentation only once open. */
  Future<JsonObject> patch(UUID potId, UUID caller, JsonObject body) {
    JsonObject changes = PotInput.forPatch(body, settings);
    return pool.withTransaction(tx -> repo.findForUpdate(tx, potId).compose(found -> {
      Row pot = ownedRow(found, caller, false);
      String status = pot.getString("status");
      if (PotStatus.of(status).isOver()) {
        throw DomainException.conflict("pot_closed", "A closed pot cannot be changed.");
      }
      if (changes.containsKey("target_amount_cfa") && PotStatus.of(status) != PotStatus.SCHEDULED) {
        throw DomainException.conflict("target_locked", "The target can only change before the pot opens.");
      }
      return repo.update(tx, potId, changes).map(PotViews::owner);
    }));
  }

  /** The owner closes early (or cancels a scheduled pot). */
  Future<JsonObject> close(UUID potId, UUID caller) {
    OffsetDateTime now = Times.utc(clock.instant());
    return pool.withTransaction(tx -> repo.findForUpdate(tx, potId).compose(found -> {
      Row pot = ownedRow(found, caller, false);
      if (PotStatus.of(pot.getString("status")).isOver()) {
        throw DomainException.conflict("pot_closed", "This pot is already " + pot.getString("status") + ".");
      }
      return repo.close(tx, potId, now).compose(row -> Outbox.append(tx, DomainEvent.of("pot.closed", "pot", potId,
              new JsonObject().put("pot_id", potId.toString()).put("owner_user_id", caller.toString())
                  .put("raised_cfa", row.getLong("raised_cfa")).put("succeeded_donations", row.getInteger("succeeded_donations"))
                  .put("reason", "owner"), clock.instant()))
          .map(PotViews.owner(row)));
    }));
  }

  /** Stores the preferred pack after asking the pack catalogue that it exists and is on sale. */
  Future<JsonObject> setPreferredPack(UUID potId, UUID caller, String packId) {
    UUID pack;
    try {
      pack = UUID.fromString(packId);
    } catch (RuntimeException e) {
      throw DomainException.invalid("invalid_pack_id", "pack_id must be a UUID.");
    }
    return owned(potId, caller, false)
        .compose(pot -> packs.get(pack))
        .compose(p -> p.isActive() ? repo.setPreferredPack(pool, potId, pack)
            : Future.failedFuture(DomainException.conflict("pack_unavailable", "This pack is not on sale.")))
        .compose(v -> get(potId, caller, false));
  }

  /**
   * Whether the pot takes a donation now. A private or friends-only pot takes one only with a share
   * token from one of its invitations ({@code "token"}) — or from its owner — and is "not found"
   * otherwise, exactly as its page is.
   */
  Future<JsonObject> accepting(UUID potId, String token, UUID donorUserId) {
    return repo.find(pool, potId).compose(found -> {
      Row r = found.orElseThrow(() -> DomainException.notFound("pot_not_found", "No such pot."));
      boolean owner = r.getUUID("owner_user_id").equals(donorUserId);
      Future<Boolean> reachable = "public".equals(r.getString("visibility")) || owner ? Future.succeededFuture(true)
          : token == null || token.isBlank() ? Future.succeededFuture(false)
          : repo.tokenOpensPot(pool, potId, sn.wolo.platform.security.Tokens.sha256(token));
      return reachable.map(ok -> {
        if (!ok) throw DomainException.notFound("pot_not_found", "No such pot.");
        return new JsonObject()
            .put("pot_id", potId.toString())
            .put("accepting", PotStatus.of(r.getString("status")).takesDonations())
            .put("status", r.getString("status"))
            .put("owner_user_id", r.getUUID("owner_user_id").toString())
            .put("allow_anonymous_donations", r.getBoolean("allow_anonymous_donations"))
            .put("enable_messages", r.getBoolean("enable_messages"))
            .put("target_amount_cfa", r.getInteger("target_amount_cfa"))
            .put("succeeded_donations", r.getInteger("succeeded_donations"))
            .put("donated_cfa", r.getLong("raised_cfa") - r.getLong("referral_credit_cfa"));
      });
    });
  }

  /** The owner's list of the invitations their pot sent (an admin's read is audited at the edge). */
  Future<JsonObject> invitations(UUID potId, UUID caller, boolean admin, int limit, String cursor) {
    return owned(potId, caller, admin).compose(pot -> repo.invitationsPage(pool, potId, limit, cursor)
        .map(page -> page.put("pot_id", potId.toString()).put("owner_user_id", pot.getUUID("owner_user_id").toString())));
  }

  private Future<Row> owned(UUID potId, UUID caller, boolean admin) {
    return repo.find(pool, potId).map(found -> ownedRow(found, caller, admin));
  }

  /**
   * Someone else's pot is "not found" rather than "forbidden": its existence is not disclosed.
   * A null caller is an internal service on the event bus (never reachable from HTTP).
   */
  private static Row ownedRow(java.util.Optional<Row> found, UUID caller, boolean admin) {
    return found.filter(r -> admin || caller == null || r.getUUID("owner_user_id").equals(caller))
        .orElseThrow(() -> DomainException.notFound("pot_not_found", "No such pot."));
  }

}
