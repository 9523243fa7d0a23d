package sn.wolo.donation;

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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Settles a claimed batch of webhook events with a handful of statements whatever its size (issue 18):
 * the batch's donations locked in one ordered query, each event decided in claim order against the
 * donations' state as the batch changes it (the same rules as {@link Settlement}: monotonic states, a
 * late failure never undoes a success, mismatches quarantined), then one UPDATE for the failures, one
 * for the successes, one INSERT of every outbox event and one UPDATE marking the events processed.
 * Eight events of a burst cost what one costs; {@link WebhookProcessor} falls back to one event at a
 * time when a batch statement fails, so one bad event never holds the others back.
 */
final class SettlementBatch {

  /** A stored event as claimed, read into what settling it needs. */
  record Claimed(UUID eventId, String type, JsonObject envelope) {
  }

  /** What became of one event (its row in wave_webhook_events). */
  record Done(UUID eventId, UUID donationId, String error, boolean quarantined) {
  }

  private static final String LOCK_ALL = """
      SELECT id, pot_id, donor_user_id, amount_cfa, status, is_anonymous, donor_name, wave_checkout_session_id
      FROM donations.donations WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE""";
  private static final String FAIL_ALL = """
      UPDATE donations.donations d SET status = 'failed', failed_at = $2, wave_notified_at = $2, wave_webhook_data = u.data
      FROM unnest($1::uuid[], $3::jsonb[]) AS u(id, data) WHERE d.id = u.id""";
  private static final String SUCCEED_ALL = """
      UPDATE donations.donations d SET status = 'succeeded', confirmed_at = $2, wave_notified_at = $2,
             wave_transaction_id = COALESCE(u.tx, d.wave_transaction_id), wave_webhook_data = u.data,
             wave_checkout_session_id = COALESCE(d.wave_checkout_session_id, u.session)
      FROM unnest($1::uuid[], $3::text[], $4::jsonb[], $5::text[]) AS u(id, tx, data, session) WHERE d.id = u.id""";
  private static final String MARK_ALL = """
      UPDATE donations.wave_webhook_events e SET processed_at = $2, donation_id = u.donation, processing_error = u.error,
             quarantined = u.quarantined
      FROM unnest($1::uuid[], $3::uuid[], $4::text[], $5::bool[]) AS u(id, donation, error, quarantined) WHERE e.id = u.id""";

  private final Clock clock;

  SettlementBatch(Clock clock) {
    this.clock = clock;
  }

  /** Settles {@code events} (in claim order) inside {@code tx}; says how many. */
  Future<Integer> settle(SqlConnection tx, List<Claimed> events) {
    Set<UUID> ids = new LinkedHashSet<>();
    for (Claimed e : events) {
      UUID donation = donationOf(e);
      if (donation != null) ids.add(donation);
    }
    return tx.preparedQuery(LOCK_ALL).execute(Tuple.of(ids.toArray(new UUID[0]))).compose(rows -> {
      Map<UUID, DonationState> donations = new HashMap<>();
      for (Row r : rows) donations.put(r.getUUID("id"), new DonationState(r));
      return write(tx, decide(events, donations), events.size());
    });
  }

  /** The writes a batch makes, gathered while each event is decided. */
  private static final class Writes {
    final List<Done> done = new ArrayList<>();
    final List<DomainEvent> outbox = new ArrayList<>();
    final List<UUID> failed = new ArrayList<>();
    final List<JsonObject> failedData = new ArrayList<>();
    final List<UUID> succeeded = new ArrayList<>();
    final List<String> succeededTx = new ArrayList<>();
    final List<JsonObject> succeededData = new ArrayList<>();
    final List<String> succeededSession = new ArrayList<>();
  }

  private Writes decide(List<Claimed> events, Map<UUID, DonationState> donations) {
    Writes w = new Writes();
    for (Claimed e : events) {
      String malformed = malformed(e.envelope());
      if (malformed != null) {
        w.done.add(new Done(e.eventId(), null, malformed, true));
        continue;
      }
      JsonObject session = e.envelope().getJsonObject("data");
      Boolean paid = paid(e.type(), session);
      if (paid == null) {
        w.done.add(new Done(e.eventId(), null, null, false));   // an event type or outcome that changes nothing
        continue;
      }
      UUID id = donationOf(e);
      DonationState d = id == null ? null : donations.get(id);
      if (d == null) {
        w.done.add(new Done(e.eventId(), null, "unknown client_reference", false));
        continue;
      }
      String mismatch = Settlement.mismatch(d.amountCfa, d.sessionId, session);
      if (mismatch != null) {
        w.done.add(new Done(e.eventId(), id, mismatch, true));
      } else if (paid && Settlement.CAN_SUCCEED.contains(d.status)) {
        d.status = "succeeded";
        if (d.sessionId == null) d.sessionId = session.getString("id");
        w.succeeded.add(id);
        w.succeededTx.add(session.getString("transaction_id"));
        w.succeededData.add(session);
        w.succeededSession.add(session.getString("id"));
        w.outbox.add(Settlement.succeededEvent(id, d.potId, d.amountCfa, d.donorUserId, d.anonymous, d.donorName, clock.instant()));
        w.done.add(new Done(e.eventId(), id, null, false));
      } else if (!paid && Settlement.CAN_FAIL.contains(d.status)) {
        d.status = "failed";
        w.failed.add(id);
        w.failedData.add(session);
        w.outbox.add(Settlement.failedEvent(id, d.potId, clock.instant()));
        w.done.add(new Done(e.eventId(), id, null, false));
      } else {
        w.done.add(new Done(e.eventId(), id, null, false));   // already there: a duplicate or a late failure
      }
    }
    return w;
  }

  private Future<Integer> write(SqlConnection tx, Writes w, int count) {
    OffsetDateTime now = Times.now(clock);
    // Failures first: a donation that failed and then was paid within one batch ends succeeded, as one by one.
    Future<?> failures = w.failed.isEmpty() ? Future.succeededFuture()
        : tx.preparedQuery(FAIL_ALL).execute(Tuple.of(w.failed.toArray(new UUID[0]), now, w.failedData.toArray(new JsonObject[0])));
    return failures
        .compose(v -> w.succeeded.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(SUCCEED_ALL).execute(Tuple.of(
            w.succeeded.toArray(new UUID[0]), now, w.succeededTx.toArray(new String[0]), w.succeededData.toArray(new JsonObject[0]),
            w.succeededSession.toArray(new String[0]))))
        .compose(v -> Outbox.appendAll(tx, w.outbox))
        .compose(v -> tx.preparedQuery(MARK_ALL).execute(Tuple.of(
            w.done.stream().map(Done::eventId).toArray(UUID[]::new), now,
            w.done.stream().map(Done::donationId).toArray(UUID[]::new),
            w.done.stream().map(Done::error).toArray(String[]::new),
            w.done.stream().map(Done::quarantined).toArray(Boolean[]::new))))
        .map(count);
  }

  /** Why a signed event cannot be read (it is then quarantined with that reason), or null. */
  private static String malformed(JsonObject envelope) {
    if (!(envelope.getValue("data") instanceof JsonObject session)) return "malformed event: data is not an object";
    if (session.getValue("client_reference") != null && !(session.getValue("client_reference") instanceof String)) {
      return "malformed event: client_reference is not a string";
    }
    return null;
  }

  /** True: paid; false: the payment failed; null: the event changes no donation. */
  private static Boolean paid(String type, JsonObject session) {
    return switch (type) {
      case "checkout.session.completed" -> "succeeded".equals(session.getString("payment_status")) ? Boolean.TRUE : null;
      case "checkout.session.payment_failed" -> Boolean.FALSE;
      default -> null;
    };
  }

  private static UUID donationOf(Claimed e) {
    if (!(e.envelope().getValue("data") instanceof JsonObject session) || !(session.getValue("client_reference") instanceof String ref)) {
      return null;
    }
    try {
      return UUID.fromString(ref);
    } catch (IllegalArgumentException notOurs) {
      return null;
    }
  }

  /** A locked donation as the batch sees it, its status moving as the batch's events are decided. */
  private static final class DonationState {
    final UUID potId;
    final UUID donorUserId;
    final int amountCfa;
    final boolean anonymous;
    final String donorName;
    String status;
    String sessionId;

    DonationState(Row r) {
      potId = r.getUUID("pot_id");
      donorUserId = r.getUUID("donor_user_id");
      amountCfa = r.getInteger("amount_cfa");
      anonymous = r.getBoolean("is_anonymous");
      donorName = r.getString("donor_name");
      status = r.getString("status");
      sessionId = r.getString("wave_checkout_session_id");
    }
  }
}
