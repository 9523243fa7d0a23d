package sn.wolo.pack;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.pack.api.PackDirectory;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.bus.Requests;
import sn.wolo.platform.bus.TypedBus;

import java.time.Duration;
import java.util.UUID;

/**
 * Packs: the partner gift catalogue, partners and their users, sponsor campaigns (schema packs).
 *
 * <p>Other domains use its contract {@link PackDirectory} (package {@code pack.api}); the other
 * addresses serve this domain's HTTP API.
 */
public final class PackVerticle extends DomainVerticle {

  public static final String DOMAIN = "pack";
  private static final Logger log = LoggerFactory.getLogger(PackVerticle.class);

  public static String address(String verb) {
    return Addresses.request(DOMAIN, verb);
  }

  public PackVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    Catalogue catalogue = new Catalogue(pool, app.clock());
    Packs packs = new Packs(pool);
    Partners partners = new Partners(pool, app.clock());
    Campaigns campaigns = new Campaigns(pool, app.clock());

    TypedBus.bind(vertx, PackDirectory.class, new PackDirectoryEndpoint(catalogue, partners));
    Bus.serve(vertx, address("catalogue"), catalogue::list);
    Bus.serve(vertx, address("on-sale"), req -> catalogue.onSale(id(req, "pack_id", "pack_not_found")));

    Bus.serve(vertx, address("pack-create"), req -> packs.create(req.getJsonObject("pack")));
    Bus.serve(vertx, address("pack-update"), req -> packs.update(id(req, "pack_id", "pack_not_found"), req.getJsonObject("pack")));
    Bus.serve(vertx, address("pack-admin-get"), req -> packs.get(id(req, "pack_id", "pack_not_found")));
    Bus.serve(vertx, address("pack-list"), req -> packs.list(req.getString("partner_id") == null ? null : id(req, "partner_id", "partner_not_found")));

    Bus.serve(vertx, address("partner-create"), req -> partners.create(req.getJsonObject("partner")));
    Bus.serve(vertx, address("partner-update"), req -> partners.update(id(req, "partner_id", "partner_not_found"), req.getJsonObject("partner")));
    Bus.serve(vertx, address("partner-verify"), req -> partners.verify(id(req, "partner_id", "partner_not_found"), id(req, "admin_id", "user_not_found")));
    Bus.serve(vertx, address("partner-status"), req -> partners.changeStatus(id(req, "partner_id", "partner_not_found"), req.getString("status")));
    Bus.serve(vertx, address("partner-get"), req -> partners.get(id(req, "partner_id", "partner_not_found")));
    Bus.serve(vertx, address("partner-list"), req -> partners.list(req.getString("status")));
    Bus.serve(vertx, address("partner-link-user"), req -> partners.linkUser(id(req, "partner_id", "partner_not_found"),
        id(req, "user_id", "user_not_found"), req.getString("role", "staff")));
    Bus.serve(vertx, address("partner-unlink-user"), req -> partners.unlinkUser(id(req, "partner_id", "partner_not_found"),
        id(req, "user_id", "user_not_found")));

    Bus.serve(vertx, address("campaign-create"), req -> campaigns.create(req.getJsonObject("campaign")));
    Bus.serve(vertx, address("campaign-status"), req -> campaigns.changeStatus(id(req, "campaign_id", "campaign_not_found"), req.getString("status")));
    Bus.serve(vertx, address("campaign-spend"), req -> campaigns.spend(id(req, "campaign_id", "campaign_not_found"), req.getLong("amount_cfa", 0L)));
    Bus.serve(vertx, address("campaign-list"), req -> campaigns.list());
    Bus.serve(vertx, address("campaign-complete-ended"), req -> campaigns.completeEnded().map(n -> new JsonObject().put("completed", n)));
    vertx.setPeriodic(Duration.ofMinutes(1).toMillis(), t -> campaigns.completeEnded()
        .onFailure(e -> log.warn("campaign completion failed, retried in a minute: {}", e.toString())));
    return Future.succeededFuture();
  }

  private static UUID id(JsonObject req, String field, String notFoundCode) {
    return Requests.uuid(req, field, notFoundCode);
  }
}
