package sn.wolo.pot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.events.DomainEvent;
import sn.wolo.platform.events.Outbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The timer-driven transitions, each a claim of due pots ({@code FOR UPDATE SKIP LOCKED}, bounded)
 * plus their events in the same transaction — so any number of instances may sweep together and
 * every transition and event happens once:
 * <pre>
 *   scheduled ──(scheduled_open_at)──▶ open ──(raised ≥ target)──▶ funded
 *   open | funded ──(closes_at = birthday 00:00 Dakar)──▶ closed, or expired without any donation
 * </pre>
 */
public final class PotLifecycle {

  private static final String OPEN_DUE = """
      UPDATE pots.pots p SET status = 'open', actual_opened_at = $1
      FROM (SELECT id FROM pots.pots WHERE status = 'scheduled' AND scheduled_open_at <= $1
            ORDER BY scheduled_open_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
      WHERE p.id = due.id
      RETURNING p.id, p.owner_user_id, p.birthday_date, p.closes_at""";
  private static final String CLOSE_DUE = """
      UPDATE pots.pots p SET status = CASE WHEN p.succeeded_donations > 0 THEN 'closed' ELSE 'expired' END, closed_at = $1
      FROM (SELECT id FROM pots.pots WHERE status IN ('open', 'funded') AND closes_at <= $1
            ORDER BY closes_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
      WHERE p.id = due.id
      RETURNING p.id, p.owner_user_id, p.status, p.raised_cfa, p.succeeded_donations""";

  private final Clock clock;

  public PotLifecycle(Clock clock) {
    this.clock = clock;
  }

  /** scheduled → open for pots whose J-30 has come. */
  public Future<Integer> openDue(SqlConnection tx, int limit) {
    OffsetDateTime now = now();
    return tx.preparedQuery(OPEN_DUE).execute(Tuple.of(now, limit)).compose(rows -> {
      List<DomainEvent> events = new ArrayList<>(rows.size());
      for (Row r : rows) {
        events.add(DomainEvent.of("pot.opened", "pot", r.getUUID("id"), new JsonObject()
            .put("pot_id", r.getUUID("id").toString()).put("owner_user_id", r.getUUID("owner_user_id").toString())
            .put("birthday_date", r.getLocalDate("birthday_date").toString())
            .put("closes_at", r.getOffsetDateTime("closes_at").toString()), clock.instant()));
      }
      return Outbox.appendAll(tx, events).map(rows.rowCount());
    });
  }

  /** open|funded → closed (or expired when nobody gave) at the birthday. */
  public Future<Integer> closeDue(SqlConnection tx, int limit) {
    OffsetDateTime now = now();
    return tx.preparedQuery(CLOSE_DUE).execute(Tuple.of(now, limit)).compose(rows -> {
      List<DomainEvent> events = new ArrayList<>(rows.size());
      for (Row r : rows) {
        String status = r.getString("status");
        events.add(DomainEvent.of("closed".equals(status) ? "pot.closed" : "pot.expired", "pot", r.getUUID("id"),
            new JsonObject().put("pot_id", r.getUUID("id").toString()).put("owner_user_id", r.getUUID("owner_user_id").toString())
                .put("raised_cfa", r.getLong("raised_cfa")).put("succeeded_donations", r.getInteger("succeeded_donations"))
                .put("reason", "birthday"), clock.instant()));
      }
      return Outbox.appendAll(tx, events).map(rows.rowCount());
    });
  }

  private OffsetDateTime now() {
    return Times.now(clock);
  }
}
