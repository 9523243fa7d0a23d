package sn.wolo.platform.wave;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Wave simulator's payouts (wave-api.md): {@code POST /v1/payout} with a required
 * {@code Idempotency-Key} (same key + same body → the same payout, other body → 409
 * {@code idempotency-mismatch}), {@code GET /v1/payout/:id}, {@code POST /v1/payout/:id/reverse}.
 * Tests choose the next outcome ({@code failed}, {@code processing}) and can make Wave pay but never
 * answer — what the caller sees when it crashes between the call and its commit.
 */
public final class SimulatedPayouts {

  private static final Set<String> FIELDS = Set.of("currency", "receive_amount", "mobile", "name", "client_reference",
      "payment_reason", "national_id", "aggregated_merchant_id");

  private record Keyed(String bodyHash, String payoutId) {
  }

  private final Clock clock;
  private final Map<String, JsonObject> payouts = new ConcurrentHashMap<>();
  private final Map<String, Keyed> keys = new ConcurrentHashMap<>();
  private final AtomicInteger made = new AtomicInteger();
  private volatile String nextStatus;
  private volatile boolean holdResponses;

  SimulatedPayouts(Clock clock) {
    this.clock = clock;
  }

  void mount(Router r) {
    r.post("/v1/payout").handler(this::create);
    r.get("/v1/payout/:id").handler(ctx -> withPayout(ctx, p -> WaveSimulatorResponses.json(ctx, 200, p)));
    r.post("/v1/payout/:id/reverse").handler(ctx -> withPayout(ctx, p -> {
      if (!"succeeded".equals(p.getString("status"))) {
        WaveSimulatorResponses.error(ctx, 409, "payout-reversal-refused", "Only a succeeded payout can be reversed.");
        return;
      }
      p.put("status", "reversed");
      WaveSimulatorResponses.json(ctx, 200, p);
    }));
  }

  /** The next new payout ends in this status ({@code failed}, {@code processing}) instead of {@code succeeded}. */
  public void nextStatus(String status) {
    nextStatus = status;
  }

  /** Payouts are made, but Wave's answer never comes (the caller times out). */
  public void holdResponses(boolean hold) {
    holdResponses = hold;
  }

  /** Distinct payouts made (an idempotent replay is not a new one). */
  public int made() {
    return made.get();
  }

  public JsonObject byClientReference(String reference) {
    return payouts.values().stream().filter(p -> reference.equals(p.getString("client_reference"))).findFirst().map(JsonObject::copy).orElse(null);
  }

  /** Completes a processing payout, or reverses a succeeded one, as Wave would later. */
  public void settle(String payoutId, String status) {
    payouts.get(payoutId).put("status", status);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = WaveSimulatorResponses.objectBody(ctx);
    if (body == null) return;
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null || key.isBlank() || key.length() > 255) {
      WaveSimulatorResponses.error(ctx, 400, "missing-idempotency-key", "Payouts require an Idempotency-Key.");
      return;
    }
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        WaveSimulatorResponses.validation(ctx, field, "extra fields not permitted");
        return;
      }
    }
    if (!(body.getValue("receive_amount") instanceof String a) || !a.matches("[1-9][0-9]{0,11}")) {
      WaveSimulatorResponses.validation(ctx, "receive_amount", "receive_amount must be a string of whole francs");
      return;
    }
    if (!"XOF".equals(body.getString("currency")) || !(body.getValue("mobile") instanceof String m) || !m.startsWith("+")) {
      WaveSimulatorResponses.validation(ctx, "mobile", "currency XOF and an E.164 mobile are required");
      return;
    }
    if (body.getString("payment_reason") != null && body.getString("payment_reason").length() > 40) {
      WaveSimulatorResponses.validation(ctx, "payment_reason", "at most 40 characters");
      return;
    }
    String hash = sn.wolo.platform.security.Tokens.sha256(body.encode());
    String id = "pt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    Keyed existing = keys.putIfAbsent(key, new Keyed(hash, id));
    if (existing != null) {
      if (!existing.bodyHash().equals(hash)) {
        WaveSimulatorResponses.error(ctx, 409, "idempotency-mismatch", "This Idempotency-Key was used with another request.");
      } else if (!holdResponses) {
        WaveSimulatorResponses.json(ctx, 200, payouts.get(existing.payoutId()));
      }
      return;
    }
    String status = nextStatus == null ? "succeeded" : nextStatus;
    nextStatus = null;
    JsonObject payout = body.copy().put("id", id).put("fee", "0").put("status", status).put("timestamp", clock.instant().toString());
    if ("failed".equals(status)) payout.put("payout_error", new JsonObject().put("error_code", "recipient-not-found").put("error_message", "No Wave account."));
    payouts.put(id, payout);
    made.incrementAndGet();
    if (!holdResponses) WaveSimulatorResponses.json(ctx, 200, payout);
  }

  private void withPayout(RoutingContext ctx, java.util.function.Consumer<JsonObject> action) {
    JsonObject p = payouts.get(ctx.pathParam("id"));
    if (p == null) {
      WaveSimulatorResponses.error(ctx, 404, "not-found", "No such payout.");
      return;
    }
    action.accept(p);
  }
}
