package sn.wolo.pack;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.errors.DomainException;

import java.time.Clock;
import java.util.UUID;

/**
 * The public catalogue: packs on sale today in Dakar (active pack of an active partner, inside its
 * availability window, with stock left), filtered by category, city of a venue and price, cheapest
 * first, paginated.
 */
final class Catalogue {

  private final Pool pool;
  private final Clock clock;

  Catalogue(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** {@code {"category"?, "city"?, "max_price_cfa"?, "page", "size"}} → {@code {"packs":[…],"page","size","total"}}. */
  Future<JsonObject> list(JsonObject q) {
    int page = q.getInteger("page", 0);
    int size = q.getInteger("size", 20);
    return pool.preparedQuery(PackViews.SELECT.replace("SELECT ", "SELECT count(*) OVER () AS total, ") + " WHERE " + PackViews.ON_SALE + """
             AND ($2::text IS NULL OR p.category = $2)
             AND ($3::bigint IS NULL OR COALESCE(p.discounted_price_cfa, p.base_price_cfa) <= $3)
             AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(pr.venues, '[]'::jsonb)) v
                                              WHERE lower(v ->> 'city') = lower($4)))
            ORDER BY COALESCE(p.discounted_price_cfa, p.base_price_cfa), p.name, p.id LIMIT $5 OFFSET $6""")
        .execute(Tuple.of(Times.dakarToday(clock), q.getString("category"), q.getLong("max_price_cfa"), q.getString("city"), size, page * size))
        .map(rows -> {
          JsonArray packs = new JsonArray();
          long total = 0;
          for (Row r : rows) {
            packs.add(PackViews.forPublic(r));
            total = r.getLong("total");
          }
          return new JsonObject().put("packs", packs).put("page", page).put("size", size).put("total", total);
        });
  }

  /** One pack if it is on sale today, else 404 (the app never offers what cannot be bought). */
  Future<JsonObject> onSale(UUID id) {
    return pool.preparedQuery(PackViews.SELECT + " WHERE " + PackViews.ON_SALE + " AND p.id = $2")
        .execute(Tuple.of(Times.dakarToday(clock), id)).map(rows -> {
          if (rows.size() == 0) throw DomainException.notFound("pack_not_found", "No such pack on sale.");
          return PackViews.forPublic(rows.iterator().next());
        });
  }

  /**
   * {@code wolo.pack.get} for other domains: any pack, with {@code is_active} meaning "on sale today"
   * and {@code price_cfa} the price to pay; 404 {@code pack_not_found}.
   */
  Future<JsonObject> forDomains(UUID id) {
    return pool.preparedQuery(PackViews.SELECT.replace("SELECT ", "SELECT (" + PackViews.ON_SALE + ") AS on_sale, ") + " WHERE p.id = $2")
        .execute(Tuple.of(Times.dakarToday(clock), id)).map(rows -> {
          if (rows.size() == 0) throw DomainException.notFound("pack_not_found", "No such pack.");
          Row r = rows.iterator().next();
          return PackViews.forPublic(r).put("is_active", Boolean.TRUE.equals(r.getBoolean("on_sale")));
        });
  }
}
