package sn.wolo.notification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.notification.channel.Channel;
import sn.wolo.notification.channel.ChannelHealth;
import sn.wolo.notification.channel.Channels;
import sn.wolo.notification.channel.OutgoingMessage;
import sn.wolo.platform.Times;
import sn.wolo.platform.db.Columns;
import sn.wolo.platform.db.GroupCommit;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Drains the queue: claims due messages with {@code FOR UPDATE SKIP LOCKED} and leases them (their
 * {@code scheduled_at} moves a lease ahead, so two senders never take the same message, and one
 * whose sender died is taken again after the lease), sends each through its channel outside the
 * transaction, then records {@code sent} with the provider's id — or a retry with exponential
 * backoff and jitter, until {@code max_retries}, then {@code failed} with the error.
 *
 * <p>At least once: a message sent but not yet recorded when the process dies is sent again after
 * its lease. Each sent message is therefore recorded as soon as its provider answers — together with
 * those that answered while the previous record was being written ({@link GroupCommit}) — so the
 * window is one write, not the slowest send of its batch.
 */
final class Sender {

  private static final Logger log = LoggerFactory.getLogger(Sender.class);
  private static final String CLAIM = """
      UPDATE notifications.notifications n SET scheduled_at = $3
      FROM (SELECT id FROM notifications.notifications WHERE status = 'pending' AND scheduled_at <= $1
            ORDER BY scheduled_at LIMIT $2 FOR UPDATE SKIP LOCKED) due, notifications.notification_templates t
      WHERE n.id = due.id AND t.id = n.template_id
      RETURNING n.id, n.channel, n.recipient_identifier, n.subject, n.body, n.template_data, n.retry_count, n.max_retries,
                t.template_key, t.locale, t.body_text, t.body_html, t.variables""";
  // Sent messages in one statement. body: masked once it has left (NULL = keep it:
  // nothing secret, or the dev sandbox).
  private static final String SENT = """
      UPDATE notifications.notifications n SET status = 'sent', sent_at = $1, provider = s.provider, provider_message_id = s.message_id,
             error_message = NULL, next_retry_at = NULL, body = COALESCE(s.body, n.body)
      FROM unnest($2::uuid[], $3::varchar[], $4::varchar[], $5::text[]) AS s(id, provider, message_id, body)
      WHERE n.id = s.id AND n.status = 'pending'""";
  private static final int MAX_RECORDED_AT_ONCE = 500;
  private static final String RETRY = """
      UPDATE notifications.notifications SET retry_count = retry_count + 1, scheduled_at = $2, next_retry_at = $2,
             provider = $3, error_message = $4, error_code = 'send_failed' WHERE id = $1 AND status = 'pending'""";
  private static final String FAILED = """
      UPDATE notifications.notifications SET status = 'failed', failed_at = $2, provider = $3, error_message = $4,
             error_code = 'retries_exhausted', next_retry_at = NULL, body = COALESCE($5, body) WHERE id = $1 AND status = 'pending'""";

  private final Pool pool;
  private final Channels channels;
  private final Clock clock;
  private final ChannelHealth health;
  private final int retryBaseSeconds;
  private final int leaseSeconds;
  private final GroupCommit<Sent, Void> sentRecords;

  Sender(Pool pool, Channels channels, ChannelHealth health, Clock clock, int retryBaseSeconds, int leaseSeconds) {
    this.pool = pool;
    this.channels = channels;
    this.health = health;
    this.clock = clock;
    this.retryBaseSeconds = retryBaseSeconds;
    this.leaseSeconds = leaseSeconds;
    this.sentRecords = new GroupCommit<>(MAX_RECORDED_AT_ONCE, s -> 1, this::recordSent);
  }

  /** A DueWorkSweeper batch: claims (and commits the lease with {@code tx}), then sends after the commit. */
  Future<Integer> claimBatch(SqlConnection tx, int limit) {
    OffsetDateTime now = now();
    return tx.preparedQuery(CLAIM).execute(Tuple.of(now, limit, now.plusSeconds(leaseSeconds))).map(rows -> {
      List<Row> claimed = new ArrayList<>();
      rows.forEach(claimed::add);
      // Sending waits for the lease to be committed: the caller's transaction ends when this returns.
      tx.transaction().completion().onSuccess(v -> deliverAll(claimed));
      return claimed.size();
    });
  }

  /** A message handed to its provider, and the body to keep (null: unchanged). */
  private record Sent(UUID id, String provider, String providerMessageId, String redactedBody) {
  }

  /**
   * Sends the claimed messages at once. Each one sent is recorded as soon as it left, grouped with the
   * others that left meanwhile (a burst's thank-yous: a few commits per batch, not one per message);
   * each failure is recorded on its own.
   */
  private void deliverAll(List<Row> claimed) {
    for (Row r : claimed) {
      deliver(r).compose(sent -> sent == null ? Future.succeededFuture() : sentRecords.submit(sent))
          .onFailure(e -> log.warn("notification {} sent, not recorded (the lease will send it again): {}", r.getUUID("id"), e.toString()));
    }
  }

  private Future<List<Void>> recordSent(List<Sent> sent) {
    return pool.preparedQuery(SENT).execute(Tuple.of(now(), Columns.of(sent, UUID.class, Sent::id), Columns.of(sent, String.class, Sent::provider),
            Columns.of(sent, String.class, Sent::providerMessageId), Columns.of(sent, String.class, Sent::redactedBody)))
        .map(rows -> java.util.Collections.<Void>nCopies(sent.size(), null));
  }

  /** Sends one message: what to record if it left, or null once its failure is recorded. */
  private Future<Sent> deliver(Row r) {
    UUID id = r.getUUID("id");
    Channel channel = channels.forChannel(r.getString("channel"));
    JsonObject data = r.getValue("template_data") instanceof JsonObject d ? d : new JsonObject();
    // Only emails have an HTML part; it is rendered from stored data, which never holds codes, so
    // secret-bearing emails go as text only.
    String html = !"email".equals(r.getString("channel")) || r.getString("body_html") == null || hasSecrets(r) ? null
        : TemplateRenderer.html(r.getString("template_key"), r.getString("body_html"), null, data);
    OutgoingMessage m = new OutgoingMessage(id.toString(), r.getString("channel"), r.getString("recipient_identifier"),
        r.getString("template_key"), r.getString("locale"), r.getString("subject"), r.getString("body"), html, data);
    Future<String> sent;
    long started = System.nanoTime();
    try {
      // Bounded whatever the channel does (an SMTP server that never answers): the lease outlasts this.
      sent = channel.send(m).timeout(Channel.SEND_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(ar -> health.record(m.channel(), ar.succeeded(), (System.nanoTime() - started) / 1_000_000));
    String redacted = "sandbox".equals(channel.provider()) ? null : SecretVariables.redactedBody(r, data);
    return sent.map(providerId -> new Sent(id, channel.provider(), providerId, redacted))
        .recover(e -> recordFailure(r, channel.provider(), e)
            .onFailure(err -> log.warn("notification {} outcome not recorded (the lease will retry it): {}", id, err.toString()))
            .map((Sent) null));
  }

  private Future<?> recordFailure(Row r, String provider, Throwable e) {
    int retries = r.getInteger("retry_count");
    String error = String.valueOf(e.getMessage());
    if (retries >= r.getInteger("max_retries")) {
      log.warn("notification {} failed for good after {} retries: {}", r.getUUID("id"), retries, error);
      return pool.preparedQuery(FAILED).execute(Tuple.of(r.getUUID("id"), now(), provider, error,
          SecretVariables.redactedBody(r, r.getValue("template_data") instanceof JsonObject d ? d : new JsonObject())));
    }
    // Exponential backoff with ±20 % jitter: base, 2×base, 4×base…
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    long delay = Math.round(retryBaseSeconds * Math.pow(2, retries) * jitter);
    return pool.preparedQuery(RETRY).execute(Tuple.of(r.getUUID("id"), now().plusSeconds(Math.max(1, delay)), provider, error));
  }

  private static boolean hasSecrets(Row r) {
    return SecretVariables.declaredIn(r.getValue("variables") instanceof JsonObject v ? v : new JsonObject());
  }

  private OffsetDateTime now() {
    return Times.now(clock);
  }
}
