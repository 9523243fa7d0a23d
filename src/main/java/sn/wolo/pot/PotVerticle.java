package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.TypedBus;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.scheduling.DueWorkSweeper;
import sn.wolo.pot.api.Pots;

import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Pots: birthday money pots, their J-30 lifecycle, invitations and daily snapshots (schema pots).
 *
 * <p>Other domains use its contract {@link Pots}; the other addresses ({@code wolo.pot.*}) serve this
 * domain's HTTP API. Events: {@code pot.created},
 * {@code pot.opened}, {@code pot.funded}, {@code pot.closed}, {@code pot.expired},
 * {@code pot.late_donation_refund_requested}. Consumes {@code donation.succeeded} and
 * {@code donation.refunded}.
 */
public final class PotVerticle extends DomainVerticle {

  public static final String DOMAIN = "pot";
  /** Fire-and-forget view/share counts: {@code {"pot_id","views","shares"}}. */
  public static final String COUNTED = Addresses.request(DOMAIN, "counted");
  private static final Logger log = LoggerFactory.getLogger(PotVerticle.class);

  public static String address(String verb) {
    return Addresses.request(DOMAIN, verb);
  }

  private DueWorkSweeper openSweeper;
  private DueWorkSweeper closeSweeper;
  private PotCounters counters;
  private PotSnapshots snapshots;

  public PotVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    PotSettings settings = PotSettings.from(app.config());
    PotRepository repo = new PotRepository();
    PotService pots = new PotService(vertx, pool, app.clock(), settings, repo);
    PotSharing sharing = new PotSharing(vertx, pool, app.clock(), settings, repo);
    PotLifecycle lifecycle = new PotLifecycle(app.clock());
    PotFunding funding = new PotFunding(app.clock());
    counters = new PotCounters(pool);
    snapshots = new PotSnapshots(pool, app.clock());

    TypedBus.bind(vertx, Pots.class, new PotsEndpoint(pool, repo, pots, sharing));
    Bus.serve(vertx, address("create"), req -> pots.create(user(req), req.getJsonObject("pot", new JsonObject())));
    Bus.serve(vertx, address("mine-page"), req -> repo.byOwnerPage(pool, user(req), req.getInteger("limit", 20), req.getString("cursor")));
    Bus.serve(vertx, address("patch"), req -> pots.patch(pot(req), user(req), req.getJsonObject("changes", new JsonObject())));
    Bus.serve(vertx, address("close"), req -> pots.close(pot(req), user(req)));
    Bus.serve(vertx, address("invitations"), req -> pots.invitations(pot(req), user(req), req.getBoolean("admin", false),
        req.getInteger("limit", 20), req.getString("cursor")));
    Bus.serve(vertx, address("invite"), req -> sharing.invite(pot(req), user(req), req.getJsonObject("invitation", new JsonObject())));
    Bus.serve(vertx, address("open-invitation"), req -> sharing.open(req.getString("token")));
    // Operations: run the sweeps or a day's snapshot now (tests, back-fills, benchmarks).
    Bus.serve(vertx, address("sweep"), req -> sweepNow());
    PotReminders reminders = new PotReminders(vertx, pool, app.clock(), settings);
    Bus.serve(vertx, address("reminders"), req -> reminders.run().map(n -> new JsonObject().put("queued", n)));
    vertx.setPeriodic(Duration.ofHours(1).toMillis(), id -> reminders.run()
        .onFailure(e -> log.warn("pot reminders failed, retried next hour: {}", e.toString())));
    Bus.serve(vertx, address("snapshot"), req -> snapshots.snapshot(LocalDate.parse(req.getString("date")))
        .map(n -> new JsonObject().put("snapshots", n)));

    // A burst's credits commit a lane at a time; lanes by pot, so no two lanes wait on one pot's row.
    consumeInBatches(PotFunding.CONSUMER, PotFunding.EVENTS, PotFunding::potOf, funding::apply);
    PotErasure erasure = new PotErasure(vertx, pool);
    react("pot.erasure", java.util.Set.of("identity.user_erased"), e -> erasure.erase(UUID.fromString(e.payload().getString("user_id"))));
    vertx.eventBus().<JsonObject>localConsumer(COUNTED, msg -> {
      try {
        counters.add(UUID.fromString(msg.body().getString("pot_id")), msg.body().getLong("views", 0L), msg.body().getLong("shares", 0L));
      } catch (RuntimeException e) {
        log.warn("bad counter message ignored");
      }
    });

    int batch = settings.sweepBatch();
    openSweeper = new DueWorkSweeper(vertx, pool, "pot-open", batch, lifecycle::openDue);
    closeSweeper = new DueWorkSweeper(vertx, pool, "pot-close", batch, lifecycle::closeDue);
    long period = settings.sweepMs();
    vertx.setPeriodic(period, id -> sweepNow());
    vertx.setPeriodic(settings.countersFlushMs(), id -> counters.flush());
    vertx.setPeriodic(Duration.ofMinutes(5).toMillis(), id -> snapshots.runForYesterday()
        .onFailure(e -> log.warn("pot snapshot failed, retried later: {}", e.toString())));
    return Future.succeededFuture();
  }

  /** Opens first, then closes: a pot whose J-30 and birthday both passed during downtime goes through both. */
  private Future<JsonObject> sweepNow() {
    return openSweeper.sweep().compose(opened -> closeSweeper.sweep()
        .map(closed -> new JsonObject().put("opened", opened).put("closed", closed)));
  }

  /** GDPR export: the user's pots (with totals, gift and referral credit). */
  @Override
  protected Future<JsonObject> exportUserData(String userId) {
    return new PotRepository().byOwner(pool, UUID.fromString(userId)).map(pots -> new JsonObject().put("pots", pots));
  }

  /** A clean shutdown writes the pending view/share counts. */
  @Override
  protected Future<?> stopDomain() {
    return counters.flush();
  }

  private static UUID user(JsonObject req) {
    return UUID.fromString(req.getString("user_id"));
  }

  private static UUID pot(JsonObject req) {
    try {
      return UUID.fromString(req.getString("pot_id"));
    } catch (RuntimeException e) {
      throw sn.wolo.platform.errors.DomainException.notFound("pot_not_found", "No such pot.");
    }
  }

}
