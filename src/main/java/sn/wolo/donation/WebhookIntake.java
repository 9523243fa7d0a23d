package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The durable write of Wave webhook deliveries, with group commit: while one INSERT is in flight,
 * the deliveries that arrive queue up and go together in the next one (one transaction for many
 * deliveries, no timer, so a lone delivery is written at once). Each caller's future completes
 * only after its row is committed; duplicates (same Wave event id) are absorbed by the unique key.
 * One instance per event loop: no locking.
 */
final class WebhookIntake {

  private record Pending(String eventId, String type, JsonObject payload, Promise<Boolean> done) {
  }

  private static final String INSERT = """
      INSERT INTO donations.wave_webhook_events (wave_event_id, event_type, raw_payload)
      SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::jsonb[])
      ON CONFLICT (wave_event_id) DO NOTHING RETURNING wave_event_id""";

  private final Pool pool;
  private final int maxBatch;
  private List<Pending> queue = new ArrayList<>();
  private boolean writing;

  WebhookIntake(Pool pool, int maxBatch) {
    this.pool = pool;
    this.maxBatch = maxBatch;
  }

  /** Completes with true when this delivery was new, false for a duplicate — in both cases once durable. */
  Future<Boolean> store(String eventId, String type, JsonObject payload) {
    Promise<Boolean> done = Promise.promise();
    queue.add(new Pending(eventId, type, payload, done));
    if (!writing) writeNext();
    return done.future();
  }

  private void writeNext() {
    if (queue.isEmpty()) {
      writing = false;
      return;
    }
    writing = true;
    List<Pending> batch;
    if (queue.size() <= maxBatch) {
      batch = queue;
      queue = new ArrayList<>();
    } else {
      batch = new ArrayList<>(queue.subList(0, maxBatch));
      queue = new ArrayList<>(queue.subList(maxBatch, queue.size()));
    }
    int n = batch.size();
    String[] ids = new String[n];
    String[] types = new String[n];
    JsonObject[] payloads = new JsonObject[n];
    for (int i = 0; i < n; i++) {
      ids[i] = batch.get(i).eventId();
      types[i] = batch.get(i).type();
      payloads[i] = batch.get(i).payload();
    }
    pool.preparedQuery(INSERT).execute(Tuple.of(ids, types, payloads)).onComplete(ar -> {
      if (ar.succeeded()) {
        Set<String> inserted = new HashSet<>();
        for (Row r : ar.result()) inserted.add(r.getString(0));
        for (Pending p : batch) {
          // Within one batch the same id may appear twice: only the first caller "inserted" it.
          p.done().complete(inserted.remove(p.eventId()));
        }
      } else {
        batch.forEach(p -> p.done().fail(ar.cause()));
      }
      writeNext();
    });
  }
}
