package sn.wolo.redemption;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.Times;
import sn.wolo.platform.audit.AuditContext;
import sn.wolo.platform.audit.AuditRows;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Partner settlements. After the last day of a partner's period (weekly, monthly or quarterly by
 * its payment terms) the period is settled: revenue = Σ price snapshots of its unsettled
 * redemptions up to that day, partner share = floor(revenue × split % / 100), WOLO's commission =
 * revenue − share (so the francs add up, by CHECK). A share below the partner's
 * {@code minimum_payout_cfa} is not settled: those redemptions carry over into the next period.
 * Each redemption is linked to exactly one settlement (under row locks, once per period by the
 * unique period key). States: {@code pending → approved → paid}, {@code pending|approved → disputed → pending}.
 */
final class Settlements {

  private static final Logger log = LoggerFactory.getLogger(Settlements.class);
  static final String COLUMNS = """
      s.id, s.partner_id, p.name AS partner_name, s.period_start, s.period_end, s.total_redemptions_count, s.total_revenue_cfa,
      s.partner_share_cfa, s.wolo_commission_cfa, s.status, s.approved_at, s.payment_reference, s.paid_at, s.payout_status,
      s.payout_failure, s.dispute_reason, s.created_at""";
  private static final String UNSETTLED = """
      SELECT id, price_paid_cfa FROM redemption.qr_codes
      WHERE partner_id = $1 AND status = 'redeemed' AND settlement_id IS NULL AND redeemed_at < $2 FOR UPDATE""";
  private static final String INSERT = """
      INSERT INTO redemption.partner_settlements (partner_id, period_start, period_end, total_redemptions_count, total_revenue_cfa,
                                                   partner_share_cfa, wolo_commission_cfa)
      VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (partner_id, period_start, period_end) DO NOTHING RETURNING id""";

  private final Pool pool;
  private final Clock clock;

  Settlements(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Settles every partner whose period ends on {@code day}; returns the settlements created. */
  Future<JsonObject> settleDay(LocalDate day) {
    return pool.query("SELECT id, payment_terms FROM packs.partners ORDER BY id").execute().compose(partners -> {
      Future<List<String>> chain = Future.succeededFuture(new ArrayList<>());
      for (Row p : partners) {
        SettlementPeriod period = SettlementPeriod.containing(p.getString("payment_terms"), day);
        if (!period.end().equals(day)) continue;
        UUID partnerId = p.getUUID("id");
        chain = chain.compose(created -> settle(partnerId, period).map(id -> {
          if (id != null) created.add(id.toString());
          return created;
        }));
      }
      return chain;
    }).map(created -> new JsonObject().put("date", day.toString()).put("settlements", new JsonArray(created)));
  }

  /** One partner's period in one transaction; null when there was nothing to settle or it carries over. */
  private Future<UUID> settle(UUID partnerId, SettlementPeriod period) {
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT revenue_split_percentage, minimum_payout_cfa FROM packs.partners WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(partnerId)).compose(partner -> {
          Row terms = partner.iterator().next();
          return tx.preparedQuery(UNSETTLED).execute(Tuple.of(partnerId, Times.dakarMidnight(period.end().plusDays(1)))).compose(rows -> {
            if (rows.size() == 0) return Future.succeededFuture(null);
            long sum = 0;
            List<UUID> ids = new ArrayList<>();
            for (Row r : rows) {
              sum += r.getLong("price_paid_cfa");
              ids.add(r.getUUID("id"));
            }
            long revenue = sum;
            long share = partnerShare(revenue, terms.getBigDecimal("revenue_split_percentage"));
            if (share < terms.getInteger("minimum_payout_cfa")) {
              log.info("settlement of partner {} for {}..{} carried over: share {} below the minimum", partnerId, period.start(), period.end(), share);
              return Future.succeededFuture(null);
            }
            long commission = revenue - share;
            return tx.preparedQuery(INSERT).execute(Tuple.tuple().addUUID(partnerId).addValue(period.start()).addValue(period.end())
                .addInteger(ids.size()).addLong(revenue).addLong(share).addLong(commission)).compose(inserted -> {
                  if (inserted.size() == 0) return Future.succeededFuture(null);   // another instance settled this period
                  UUID id = inserted.iterator().next().getUUID("id");
                  return tx.preparedQuery("UPDATE redemption.qr_codes SET settlement_id = $1 WHERE id = ANY($2)")
                      .execute(Tuple.of(id, (Object) ids.toArray(UUID[]::new)))
                      .compose(v -> Outbox.append(tx, DomainEvent.of("settlement.created", "settlement", id, new JsonObject()
                          .put("settlement_id", id.toString()).put("partner_id", partnerId.toString())
                          .put("period_start", period.start().toString()).put("period_end", period.end().toString())
                          .put("revenue_cfa", revenue).put("partner_share_cfa", share).put("wolo_commission_cfa", commission), clock.instant())))
                      .map(id);
                });
          });
        }));
  }

  /** floor(revenue × percentage / 100), exactly (no floating point). */
  static long partnerShare(long revenue, BigDecimal percentage) {
    return BigDecimal.valueOf(revenue).multiply(percentage).divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR).longValueExact();
  }

  Future<JsonObject> list(String status, UUID partnerId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM redemption.partner_settlements s JOIN packs.partners p ON p.id = s.partner_id "
            + "WHERE ($1::text IS NULL OR s.status = $1) AND ($2::uuid IS NULL OR s.partner_id = $2) ORDER BY s.period_end DESC, p.name LIMIT 500")
        .execute(Tuple.of(status, partnerId)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(view(r)));
          return new JsonObject().put("settlements", out);
        });
  }

  /** One settlement; {@code partnerId} non-null restricts it to that partner (404 otherwise). */
  Future<JsonObject> get(UUID id, UUID partnerId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM redemption.partner_settlements s JOIN packs.partners p ON p.id = s.partner_id "
        + "WHERE s.id = $1 AND ($2::uuid IS NULL OR s.partner_id = $2)").execute(Tuple.of(id, partnerId)).map(rows -> {
          if (rows.size() == 0) throw notFound();
          return view(rows.iterator().next());
        });
  }

  Future<JsonObject> approve(UUID id, UUID adminId, AuditContext who) {
    return transition(id, "UPDATE redemption.partner_settlements SET status = 'approved', approved_by_user_id = $2, approved_at = $3, updated_at = now() "
        + "WHERE id = $1 AND status = 'pending'", Tuple.of(id, adminId, Times.now(clock)), "Only a pending settlement can be approved.",
        who, "settlement.approved", null);
  }

  /** A settlement whose payout is under way cannot be disputed: the money may be moving. */
  Future<JsonObject> dispute(UUID id, String reason, AuditContext who) {
    return transition(id, "UPDATE redemption.partner_settlements SET status = 'disputed', disputed_at = $2, dispute_reason = $3, "
            + "approved_by_user_id = NULL, approved_at = NULL, updated_at = now() WHERE id = $1 AND status IN ('pending', 'approved') AND payout_key IS NULL",
        Tuple.of(id, Times.now(clock), reason), "Only a pending or approved settlement without a payout under way can be disputed.",
        who, "settlement.disputed", reason);
  }

  Future<JsonObject> reopen(UUID id, AuditContext who) {
    return transition(id, "UPDATE redemption.partner_settlements SET status = 'pending', updated_at = now() WHERE id = $1 AND status = 'disputed'",
        Tuple.of(id), "Only a disputed settlement can be reopened.", who, "settlement.reopened", null);
  }

  /** One conditional update and its audit row in one transaction; a refused transition changes and records nothing. */
  private Future<JsonObject> transition(UUID id, String sql, Tuple params, String refusal, AuditContext who, String action, String reason) {
    return pool.withTransaction(tx -> tx.preparedQuery(sql).execute(params).compose(rows -> rows.rowCount() == 0
            ? Future.succeededFuture(false)
            : AuditRows.append(tx, who, AuditRows.Entry.of(action, "settlement", id).because(reason), clock.instant()).map(true)))
        .compose(changed -> get(id, null).map(view -> {
          if (!changed) throw DomainException.conflict("invalid_transition", refusal + " This one is " + view.getString("status") + ".");
          return view;
        }));
  }

  /** The redemptions a settlement pays for, as CSV (partner's accounting): one line per gift. */
  Future<String> csv(UUID id, UUID partnerId) {
    return get(id, partnerId).compose(s -> pool.preparedQuery("""
            SELECT q.id, q.pack_name, q.price_paid_cfa, q.redeemed_at, q.redeemed_location_id
            FROM redemption.qr_codes q WHERE q.settlement_id = $1 ORDER BY q.redeemed_at, q.id""").execute(Tuple.of(id)).map(rows -> {
      StringBuilder out = new StringBuilder("gift_id,pack_name,price_cfa,redeemed_at,location_id\r\n");
      rows.forEach(r -> out.append(r.getUUID("id")).append(',').append(csvText(r.getString("pack_name"))).append(',')
          .append(r.getLong("price_paid_cfa")).append(',').append(r.getOffsetDateTime("redeemed_at").toInstant()).append(',')
          .append(csvText(r.getString("redeemed_location_id"))).append("\r\n"));
      return out.toString();
    }));
  }

  /** RFC 4180 quoting, and no formula injection when opened in a spreadsheet. */
  private static String csvText(String v) {
    if (v == null) return "";
    String safe = v.matches("^[=+\\-@\t\r].*") ? "'" + v : v;
    return "\"" + safe.replace("\"", "\"\"") + "\"";
  }

  static JsonObject view(Row r) {
    return new JsonObject().put("id", r.getUUID("id").toString()).put("partner_id", r.getUUID("partner_id").toString())
        .put("partner_name", r.getString("partner_name")).put("period_start", r.getLocalDate("period_start").toString())
        .put("period_end", r.getLocalDate("period_end").toString()).put("redemptions", r.getInteger("total_redemptions_count"))
        .put("revenue_cfa", r.getLong("total_revenue_cfa")).put("partner_share_cfa", r.getLong("partner_share_cfa"))
        .put("wolo_commission_cfa", r.getLong("wolo_commission_cfa")).put("status", r.getString("status"))
        .put("approved_at", r.getOffsetDateTime("approved_at") == null ? null : r.getOffsetDateTime("approved_at").toInstant().toString())
        .put("payment_reference", r.getString("payment_reference"))
        .put("paid_at", r.getOffsetDateTime("paid_at") == null ? null : r.getOffsetDateTime("paid_at").toInstant().toString())
        .put("payout_status", r.getString("payout_status")).put("payout_failure", r.getString("payout_failure"))
        .put("dispute_reason", r.getString("dispute_reason"));
  }

  static DomainException notFound() {
    return DomainException.notFound("settlement_not_found", "No such settlement.");
  }
}
