package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.Times;
import sn.wolo.platform.errors.DomainException;

import java.time.Clock;
import java.util.Set;

/**
 * A provider's delivery report: {@code {"provider","provider_message_id","status":"delivered|failed|bounced","error"?}}
 * moves a sent message forward (never backwards: a late "failed" does not undo "delivered").
 */
final class DeliveryStatus {

  private static final Set<String> STATUSES = Set.of("delivered", "failed", "bounced");
  private static final String UPDATE = """
      UPDATE notifications.notifications SET status = $3,
             delivered_at = CASE WHEN $3 = 'delivered' THEN $4 ELSE delivered_at END,
             failed_at = CASE WHEN $3 <> 'delivered' THEN $4 ELSE failed_at END,
             error_message = COALESCE($5, error_message), provider_response = $6
      WHERE provider = $1 AND provider_message_id = $2 AND status = 'sent' RETURNING id""";

  private final Pool pool;
  private final Clock clock;

  DeliveryStatus(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  Future<JsonObject> apply(JsonObject report) {
    String status = report.getString("status");
    if (!STATUSES.contains(status)) throw DomainException.invalid("invalid_status", "status is one of " + STATUSES);
    String id = report.getString("provider_message_id");
    if (id == null || id.isBlank()) throw DomainException.invalid("invalid_message_id", "provider_message_id is required");
    return pool.preparedQuery(UPDATE).execute(Tuple.from(new Object[] {report.getString("provider"), id, status,
            Times.now(clock), report.getString("error"), report.getJsonObject("raw")}))
        .map(rows -> new JsonObject().put("updated", rows.size()));
  }
}
