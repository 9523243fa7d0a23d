package sn.wolo.platform.wave;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Wave's checkout API, faithful to what the backend relies on (wave-api.md):
 * Bearer API key, string amounts in whole XOF, unknown fields refused with
 * {@code request-validation-error}, idempotency keys (same key + other body → 409
 * {@code idempotency-mismatch}), sessions expiring after 30 minutes, search by client_reference,
 * expire, full refund. A payer page ({@code wave_launch_url}) has "pay" and "fail" buttons; paying
 * delivers signed webhooks ({@code Wave-Signature}) to the backend and retries until a 2xx — with
 * optional duplicates, delays and a late contradictory event, as Wave may do. Tests also inject
 * failures (5xx bursts, lost webhooks). The dev profile runs it when no Wave URL is configured.
 */
public final class WaveSimulator {

  private static final Logger log = LoggerFactory.getLogger(WaveSimulator.class);
  private static final java.util.regex.Pattern WHOLE_FRANCS = java.util.regex.Pattern.compile("[1-9][0-9]{0,9}");
  private static final Set<String> CREATE_FIELDS = Set.of("amount", "currency", "success_url", "error_url",
      "client_reference", "restrict_payer_mobile", "aggregated_merchant_id");

  private record Idempotent(String bodyHash, String sessionId) {
  }

  private final String apiKey;
  private final String webhookSecret;
  private final String webhookUrl;
  private final Clock clock;
  private final Map<String, JsonObject> sessions = new ConcurrentHashMap<>();
  private final Map<String, Idempotent> idempotency = new ConcurrentHashMap<>();
  private final AtomicInteger failNextCalls = new AtomicInteger();
  private volatile int failStatus = 500;
  private volatile boolean dropWebhooks;
  private volatile int webhookCopies = 1;
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger refunds = new AtomicInteger();
  private final AtomicInteger webhookAttempts = new AtomicInteger();
  private volatile long answerDelayMs;
  private final AtomicInteger callsInFlight = new AtomicInteger();
  private final AtomicInteger mostCallsAtOnce = new AtomicInteger();
  private final SimulatedPayouts payouts;
  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;
  private String baseUrl;

  public WaveSimulator(String apiKey, String webhookSecret, String webhookUrl, Clock clock) {
    this.apiKey = apiKey;
    this.webhookSecret = webhookSecret;
    this.webhookUrl = webhookUrl;
    this.clock = clock;
    this.payouts = new SimulatedPayouts(clock);
  }

  /** Payouts to partners, with their own fault injection. */
  public SimulatedPayouts payouts() {
    return payouts;
  }

  private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> sessionReads = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, String> traceparents = new java.util.concurrent.ConcurrentHashMap<>();

  public Future<WaveSimulator> start(Vertx vertx, int port) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setIdleTimeout(30));
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    r.route("/v1/*").handler(this::latency);
    r.route("/v1/*").handler(this::authenticate);
    r.post("/v1/checkout/sessions").handler(this::create);
    r.get("/v1/checkout/sessions/search").handler(this::search);
    r.get("/v1/checkout/sessions/:id").handler(ctx -> withSession(ctx, s -> {
      sessionReads.computeIfAbsent(s.getString("id"), k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
      json(ctx, 200, s);
    }));
    r.post("/v1/checkout/sessions/:id/expire").handler(this::expire);
    r.post("/v1/checkout/sessions/:id/refund").handler(this::refund);
    payouts.mount(r);
    r.get("/pay/:id").handler(this::payerPage);
    // Like Wave, the payer's browser is then sent back to the merchant's success_url / error_url.
    r.post("/pay/:id/complete").handler(ctx -> withSession(ctx, s -> complete(s.getString("id"))
        .onComplete(ar -> backToMerchant(ctx, s.getString("success_url"), "Paiement effectué. Merci !"))));
    r.post("/pay/:id/fail").handler(ctx -> withSession(ctx, s -> fail(s.getString("id"), "insufficient-funds")
        .onComplete(ar -> backToMerchant(ctx, s.getString("error_url"), "Paiement refusé."))));
    return vertx.createHttpServer().requestHandler(r).listen(port, "127.0.0.1").map(s -> {
      server = s;
      baseUrl = "http://127.0.0.1:" + s.actualPort();
      log.info("Wave simulator listening on {} (webhooks to {})", baseUrl, webhookUrl);
      return this;
    });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close().compose(v -> client.close());
  }

  public String baseUrl() {
    return baseUrl;
  }

  // ------------------------------------------------------------------ fault injection (tests)

  /** The next {@code n} API calls answer {@code status} (e.g. 500) instead of working. */
  public void failNextCalls(int n, int status) {
    failStatus = status;
    failNextCalls.set(n);
  }

  /** Every API call is answered {@code delay} after it arrived (Wave's latency over the Internet; zero: at once). */
  public void answerAfter(Duration delay) {
    answerDelayMs = delay.toMillis();
  }

  /** The most API calls in progress at one moment since the last {@link #resetMostCallsAtOnce()}: how concurrently the backend calls Wave. */
  public int mostCallsAtOnce() {
    return mostCallsAtOnce.get();
  }

  public void resetMostCallsAtOnce() {
    mostCallsAtOnce.set(callsInFlight.get());
  }

  /** Payments complete but no webhook is delivered (lost webhooks: reconciliation must notice). */
  public void dropWebhooks(boolean drop) {
    dropWebhooks = drop;
  }

  /** Each webhook is delivered this many times (duplicates). */
  public void webhookCopies(int copies) {
    webhookCopies = copies;
  }

  /** The W3C {@code traceparent} the merchant sent when it created the session for {@code clientReference} (null: none). */
  public String traceparentOf(String clientReference) {
    return traceparents.get(clientReference);
  }

  /** How many times a merchant read this checkout session (reconciliation asks once per check). */
  public int sessionReads(String sessionId) {
    var n = sessionReads.get(sessionId);
    return n == null ? 0 : n.get();
  }

  public int sessionsCreated() {
    return created.get();
  }

  public int refundsMade() {
    return refunds.get();
  }

  public int webhookAttempts() {
    return webhookAttempts.get();
  }

  public JsonObject session(String id) {
    JsonObject s = sessions.get(id);
    return s == null ? null : s.copy();
  }

  // ------------------------------------------------------------------ the payer

  /** The payer pays: the session completes and {@code checkout.session.completed} is delivered. */
  public Future<Void> complete(String sessionId) {
    JsonObject s = sessions.get(sessionId);
    if (s == null || !"open".equals(s.getString("checkout_status"))) return Future.failedFuture("session not open");
    s.put("checkout_status", "complete").put("payment_status", "succeeded")
        .put("transaction_id", "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase())
        .put("when_completed", clock.instant().toString());
    return deliver("checkout.session.completed", s.copy());
  }

  /** The payment fails: {@code checkout.session.payment_failed} is delivered; the session stays open. */
  public Future<Void> fail(String sessionId, String code) {
    JsonObject s = sessions.get(sessionId);
    if (s == null) return Future.failedFuture("no session");
    s.put("last_payment_error", new JsonObject().put("code", code).put("message", "Payment failed: " + code));
    return deliver("checkout.session.payment_failed", s.copy().put("payment_status", "cancelled"));
  }

  /** Delivers an arbitrary event about a session, e.g. a late payment_failed after completion. */
  public Future<Void> deliver(String type, JsonObject data) {
    JsonObject event = new JsonObject().put("id", "AE_" + UUID.randomUUID().toString().replace("-", "")).put("type", type)
        .put("data", data);
    if (dropWebhooks) return Future.succeededFuture();
    Future<Void> first = Future.succeededFuture();
    for (int i = 0; i < webhookCopies; i++) {
      Future<Void> copy = deliverWithRetries(event.encode(), 0);
      if (i == 0) first = copy;
    }
    return first;
  }

  private Future<Void> deliverWithRetries(String body, int attempt) {
    webhookAttempts.incrementAndGet();
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String signature = WaveSignature.header(webhookSecret, clock.instant().getEpochSecond(), bytes);
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(webhookUrl)
            .putHeader("Content-Type", "application/json").putHeader("Wave-Signature", signature))
        .compose(req -> req.send(Buffer.buffer(bytes)))
        .compose(resp -> resp.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
            : Future.failedFuture("status " + resp.statusCode()))
        .recover(e -> {
          if (attempt >= 12) return Future.failedFuture(e);   // Wave gives up after days; we after ~2 min
          Promise<Void> retry = Promise.promise();
          vertx.setTimer(Math.min(100L << attempt, 10_000), t -> deliverWithRetries(body, attempt + 1).onComplete(retry));
          return retry.future();
        });
  }

  // ------------------------------------------------------------------ API handlers

  private void latency(RoutingContext ctx) {
    mostCallsAtOnce.accumulateAndGet(callsInFlight.incrementAndGet(), Math::max);
    ctx.addEndHandler(v -> callsInFlight.decrementAndGet());
    long delay = answerDelayMs;
    if (delay > 0) {
      vertx.setTimer(delay, t -> ctx.next());
    } else {
      ctx.next();
    }
  }

  private void authenticate(RoutingContext ctx) {
    if (!WaveSignature.verifyBearer(ctx.request().getHeader("Authorization"), apiKey)) {
      error(ctx, 401, "invalid-auth", "Invalid API key.");
      return;
    }
    if (failNextCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      error(ctx, failStatus, "internal-server-error", "Injected failure.");
      return;
    }
    ctx.next();
  }

  private void create(RoutingContext ctx) {
    JsonObject body = WaveSimulatorResponses.objectBody(ctx);
    if (body == null) return;
    if (body.getValue("client_reference") instanceof String ref && ctx.request().getHeader("traceparent") != null) {
      traceparents.put(ref, ctx.request().getHeader("traceparent"));
    }
    for (String field : body.fieldNames()) {
      if (!CREATE_FIELDS.contains(field)) {
        validation(ctx, field, "extra fields not permitted");
        return;
      }
    }
    String amount = body.getValue("amount") instanceof String a ? a : null;
    if (amount == null || !WHOLE_FRANCS.matcher(amount).matches()) {
      validation(ctx, "amount", "amount must be a string of whole francs");
      return;
    }
    if (!"XOF".equals(body.getString("currency"))) {
      validation(ctx, "currency", "currency must be XOF");
      return;
    }
    for (String url : List.of("success_url", "error_url")) {
      if (!(body.getValue(url) instanceof String u) || !u.startsWith("http")) {
        validation(ctx, url, url + " is required");
        return;
      }
    }
    String key = ctx.request().getHeader("Idempotency-Key");
    String bodyHash = sn.wolo.platform.security.Tokens.sha256(body.encode());
    if (key != null) {
      Idempotent seen = idempotency.get(key);
      if (seen != null) {
        if (!seen.bodyHash().equals(bodyHash)) {
          error(ctx, 409, "idempotency-mismatch", "This Idempotency-Key was used with another request.");
        } else {
          json(ctx, 200, sessions.get(seen.sessionId()));
        }
        return;
      }
    }
    String id = "cos-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    Instant now = clock.instant();
    JsonObject session = new JsonObject().put("id", id).put("amount", amount).put("currency", "XOF")
        .put("client_reference", body.getString("client_reference")).put("business_name", "WOLO Sénégal")
        .put("checkout_status", "open").put("payment_status", "processing").put("transaction_id", null)
        .put("wave_launch_url", baseUrl + "/pay/" + id).put("success_url", body.getString("success_url"))
        .put("error_url", body.getString("error_url")).put("when_created", now.toString())
        .put("when_expires", now.plus(Duration.ofMinutes(30)).toString()).put("when_completed", null)
        .put("last_payment_error", null);
    if (key != null && idempotency.putIfAbsent(key, new Idempotent(bodyHash, id)) != null) {
      json(ctx, 200, sessions.get(idempotency.get(key).sessionId()));   // a concurrent retry won the race
      return;
    }
    sessions.put(id, session);
    created.incrementAndGet();
    json(ctx, 200, session);
  }

  private void search(RoutingContext ctx) {
    String ref = ctx.request().getParam("client_reference");
    JsonArray result = new JsonArray();
    sessions.values().stream().filter(s -> s.getString("client_reference") != null && s.getString("client_reference").equals(ref))
        .forEach(s -> result.add(expireIfDue(s)));
    json(ctx, 200, new JsonObject().put("result", result));
  }

  private void expire(RoutingContext ctx) {
    withSession(ctx, s -> {
      if (!"open".equals(s.getString("checkout_status"))) {
        error(ctx, 409, "checkout-session-not-open", "Only open sessions can be expired.");
        return;
      }
      s.put("checkout_status", "expired");
      json(ctx, 200, s);
    });
  }

  private void refund(RoutingContext ctx) {
    withSession(ctx, s -> {
      if (!"succeeded".equals(s.getString("payment_status")) || s.getBoolean("refunded", false)) {
        error(ctx, 409, "checkout-refund-failed", "This session cannot be refunded.");
        return;
      }
      s.put("refunded", true);
      refunds.incrementAndGet();
      ctx.response().setStatusCode(200).end();
    });
  }

  private void payerPage(RoutingContext ctx) {
    withSession(ctx, s -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end("""
        <!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Wave (simulateur)</title></head>
        <body style="font-family:sans-serif;max-width:24rem;margin:3rem auto">
        <h1>Wave — simulateur</h1><p>WOLO Sénégal demande <b>%s F CFA</b>.</p>
        <form method="post" action="/pay/%s/complete"><button>Payer</button></form>
        <form method="post" action="/pay/%s/fail"><button>Échouer</button></form></body></html>"""
        .formatted(s.getString("amount"), s.getString("id"), s.getString("id"))));
  }

  private void backToMerchant(RoutingContext ctx, String url, String text) {
    if (url != null && url.startsWith("http")) ctx.response().setStatusCode(303).putHeader("Location", url).end();
    else page(ctx, text);
  }

  private void page(RoutingContext ctx, String text) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end("<!doctype html><p>" + text + "</p>");
  }

  private JsonObject expireIfDue(JsonObject s) {
    if ("open".equals(s.getString("checkout_status")) && Instant.parse(s.getString("when_expires")).isBefore(clock.instant())) {
      s.put("checkout_status", "expired");
    }
    return s;
  }

  private void withSession(RoutingContext ctx, java.util.function.Consumer<JsonObject> action) {
    JsonObject s = sessions.get(ctx.pathParam("id"));
    if (s == null) {
      error(ctx, 404, "not-found", "No such checkout session.");
      return;
    }
    action.accept(expireIfDue(s));
  }

  private static void validation(RoutingContext ctx, String field, String msg) {
    WaveSimulatorResponses.validation(ctx, field, msg);
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    WaveSimulatorResponses.error(ctx, status, code, message);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    WaveSimulatorResponses.json(ctx, status, body);
  }
}
