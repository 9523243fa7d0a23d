package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;
import sn.wolo.platform.bus.Addresses;
import sn.wolo.platform.bus.Bus;

import java.util.UUID;

/**
 * Donations: Wave checkout, signed webhooks, reconciliation, refunds, fraud scoring (schema donations).
 *
 * <p>So far the read side other domains need: {@code wolo.donation.totals} {@code {"pot_id"}} →
 * {@code {"raised_cfa","donors","count"}} (succeeded donations; refunded ones no longer count) and
 * {@code wolo.donation.public-list} → the pot page's donor list with the donors' privacy choices
 * applied. The Wave flows come with the donations issue.
 */
public final class DonationVerticle extends DomainVerticle {

  public static final String DOMAIN = "donation";
  public static final String TOTALS = Addresses.request(DOMAIN, "totals");
  public static final String PUBLIC_LIST = Addresses.request(DOMAIN, "public-list");

  private static final String TOTALS_SQL = """
      SELECT COALESCE(sum(amount_cfa), 0) AS raised, count(*) AS n,
             count(DISTINCT COALESCE(donor_user_id::text, donor_phone, id::text)) AS donors
      FROM donations.donations WHERE pot_id = $1 AND status = 'succeeded'""";
  private static final String LIST_SQL = """
      SELECT donor_name, amount_cfa, donation_message, is_anonymous, show_amount, confirmed_at
      FROM donations.donations WHERE pot_id = $1 AND status = 'succeeded'
      ORDER BY confirmed_at DESC, id LIMIT $2 OFFSET $3""";

  public DonationVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }

  @Override
  protected Future<?> startDomain() {
    Bus.serve(vertx, TOTALS, req -> pool.preparedQuery(TOTALS_SQL).execute(Tuple.of(UUID.fromString(req.getString("pot_id"))))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new JsonObject().put("raised_cfa", r.getLong("raised")).put("count", r.getLong("n")).put("donors", r.getLong("donors"));
        }));
    Bus.serve(vertx, PUBLIC_LIST, this::publicList);
    return Future.succeededFuture();
  }

  /**
   * {@code {"pot_id","page","size","show_donor_names","enable_messages"}}: anonymous donors (or all,
   * when the pot hides names) appear as "Anonyme"; amounts the donor chose to hide are null;
   * messages only when the pot enables them.
   */
  private Future<JsonObject> publicList(JsonObject req) {
    int size = Math.max(1, Math.min(req.getInteger("size", 20), 100));
    int page = Math.max(0, req.getInteger("page", 0));
    boolean names = req.getBoolean("show_donor_names", true);
    boolean messages = req.getBoolean("enable_messages", true);
    return pool.preparedQuery(LIST_SQL).execute(Tuple.of(UUID.fromString(req.getString("pot_id")), size, page * size))
        .map(rows -> {
          JsonArray donors = new JsonArray();
          for (Row r : rows) {
            boolean hidden = !names || r.getBoolean("is_anonymous") || r.getString("donor_name") == null;
            donors.add(new JsonObject()
                .put("name", hidden ? "Anonyme" : r.getString("donor_name"))
                .put("amount_cfa", r.getBoolean("show_amount") ? r.getInteger("amount_cfa") : null)
                .put("message", messages ? r.getString("donation_message") : null)
                .put("at", r.getOffsetDateTime("confirmed_at") == null ? null : r.getOffsetDateTime("confirmed_at").toInstant().toString()));
          }
          return new JsonObject().put("donors", donors).put("page", page).put("size", size);
        });
  }
}
