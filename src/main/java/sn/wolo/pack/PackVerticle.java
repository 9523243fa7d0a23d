package sn.wolo.pack;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.Times;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;
import sn.wolo.platform.http.ApiError;

import java.util.UUID;

/**
 * Packs: the partner gift catalogue, partners and sponsor campaigns (schema packs).
 * Event bus: {@code wolo.pack.get} {@code {"pack_id"}} → the pack, 404 when unknown.
 */
public final class PackVerticle extends DomainVerticle {

  public static final String DOMAIN = "pack";
  public static final String GET = Addresses.request(DOMAIN, "get");

  public PackVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    Bus.serve(vertx, GET, this::get);
    return Future.succeededFuture();
  }

  private Future<JsonObject> get(JsonObject req) {
    UUID id;
    try {
      id = UUID.fromString(req.getString("pack_id"));
    } catch (RuntimeException e) {
      return Future.failedFuture(ApiError.notFound("pack_not_found", "No such pack."));
    }
    var today = Times.dakarToday(app.clock());
    return pool.preparedQuery("""
            SELECT id, name, category, base_price_cfa, discounted_price_cfa, partner_id,
                   is_active AND (available_from IS NULL OR available_from <= $2)
                             AND (available_until IS NULL OR available_until >= $2) AS on_sale
            FROM packs.packs WHERE id = $1""").execute(Tuple.of(id, today))
        .map(rows -> {
          if (rows.size() == 0) throw ApiError.notFound("pack_not_found", "No such pack.");
          Row r = rows.iterator().next();
          Integer discounted = r.getInteger("discounted_price_cfa");
          return new JsonObject().put("id", id.toString()).put("name", r.getString("name"))
              .put("category", r.getString("category")).put("is_active", r.getBoolean("on_sale"))
              .put("price_cfa", discounted != null ? discounted : r.getInteger("base_price_cfa"));
        });
  }
}
