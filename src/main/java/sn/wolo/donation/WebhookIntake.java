package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.db.GroupCommit;

import java.time.Clock;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The durable write of Wave webhook deliveries, with group commit ({@link GroupCommit}): many
 * deliveries per transaction, each caller answered only once its row is committed. Duplicates
 * (same Wave event id) are absorbed by the unique key. One instance per event loop.
 */
final class WebhookIntake {

  private record Delivery(String eventId, String type, JsonObject payload) {
  }

  // Due from the application's clock ($4), the clock the processor reads what is due with: the
  // column's default (the database's now()) would leave every new event waiting for as long as this
  // host's clock lags the database's.
  private static final String INSERT = """
      INSERT INTO donations.wave_webhook_events (wave_event_id, event_type, raw_payload, next_attempt_at)
      SELECT e.*, $4 FROM unnest($1::varchar[], $2::varchar[], $3::jsonb[]) AS e
      ON CONFLICT (wave_event_id) DO NOTHING RETURNING wave_event_id""";

  private final Pool pool;
  private final Clock clock;
  private final GroupCommit<Delivery, Boolean> commits;

  WebhookIntake(Pool pool, Clock clock, int maxBatch) {
    this.pool = pool;
    this.clock = clock;
    this.commits = new GroupCommit<>(maxBatch, d -> 1, this::insert);
  }

  /** Completes with true when this delivery was new, false for a duplicate — in both cases once durable. */
  Future<Boolean> store(String eventId, String type, JsonObject payload) {
    return commits.submit(new Delivery(eventId, type, payload));
  }

  private Future<List<Boolean>> insert(List<Delivery> batch) {
    int n = batch.size();
    String[] ids = new String[n];
    String[] types = new String[n];
    JsonObject[] payloads = new JsonObject[n];
    // Rows in event-id order: two event loops' batches with overlapping new ids then take their
    // unique-index locks in the same order and cannot deadlock each other.
    List<Delivery> ordered = new ArrayList<>(batch);
    ordered.sort(java.util.Comparator.comparing(Delivery::eventId));
    for (int i = 0; i < n; i++) {
      ids[i] = ordered.get(i).eventId();
      types[i] = ordered.get(i).type();
      payloads[i] = ordered.get(i).payload();
    }
    return pool.preparedQuery(INSERT).execute(Tuple.of(ids, types, payloads, Times.now(clock))).map(rows -> {
      Set<String> inserted = new HashSet<>();
      for (Row r : rows) inserted.add(r.getString(0));
      List<Boolean> isNew = new ArrayList<>(n);
      // Within one batch the same id may appear twice: only the first caller "inserted" it.
      for (Delivery d : batch) isNew.add(inserted.remove(d.eventId()));
      return isNew;
    });
  }
}
