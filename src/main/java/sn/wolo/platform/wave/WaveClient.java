package sn.wolo.platform.wave;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import sn.wolo.platform.config.WoloConfig;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Wave's checkout API. Every call has a timeout; 5xx, 408, 429 and connection failures are retried
 * with exponential backoff (bounded) and the same {@code Idempotency-Key}, so a retry never creates
 * a second session or refund; a circuit breaker fails fast while Wave is down. Nothing hangs.
 */
public final class WaveClient {

  private final Vertx vertx;
  private final WebClient client;
  private final String baseUrl;
  private final String apiKey;
  private final int timeoutMs;
  private final int maxRetries;
  private final CircuitBreaker breaker;

  public WaveClient(Vertx vertx, WoloConfig config) {
    this.vertx = vertx;
    this.baseUrl = config.optional("wave.base-url").orElse("https://api.wave.com");
    this.apiKey = config.string("wave.api-key");
    this.timeoutMs = config.integer("wave.timeout-ms");
    this.maxRetries = config.integer("wave.max-retries");
    // Outages are measured in wall-clock time, whatever clock the business logic runs on.
    this.breaker = new CircuitBreaker(config.integer("wave.breaker-failures"), config.integer("wave.breaker-reset-ms"), Clock.systemUTC());
    // Calls run concurrently up to wave.max-connections: Vert.x's default pool (5 connections) made a
    // burst of initiations queue behind Wave's latency, 5 at a time.
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(Math.min(timeoutMs, 3000))
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(config.atLeast("wave.max-connections", 1)));
  }

  /** {@code POST /v1/checkout/sessions}: amount as a string of whole francs. */
  public Future<JsonObject> createSession(long amountCfa, String clientReference, String successUrl, String errorUrl,
                                          String payerMobile, String idempotencyKey) {
    JsonObject body = new JsonObject().put("amount", Long.toString(amountCfa)).put("currency", "XOF")
        .put("client_reference", clientReference).put("success_url", successUrl).put("error_url", errorUrl);
    if (payerMobile != null) body.put("restrict_payer_mobile", payerMobile);
    return call(HttpMethod.POST, "/v1/checkout/sessions", body, idempotencyKey);
  }

  public Future<JsonObject> getSession(String sessionId) {
    return call(HttpMethod.GET, "/v1/checkout/sessions/" + enc(sessionId), null, null);
  }

  public Future<JsonObject> searchByClientReference(String clientReference) {
    return call(HttpMethod.GET, "/v1/checkout/sessions/search?client_reference=" + enc(clientReference), null, null);
  }

  /** Full refund of a paid session; Wave answers 200 with an empty body. */
  public Future<Void> refund(String sessionId, String idempotencyKey) {
    return call(HttpMethod.POST, "/v1/checkout/sessions/" + enc(sessionId) + "/refund", new JsonObject(), idempotencyKey).mapEmpty();
  }

  /**
   * {@code POST /v1/payout}: sends {@code amountCfa} to a Wave mobile. The {@code idempotencyKey}
   * (UUIDv4, required by Wave) must be stable per payment: a retry with it returns the payout
   * already made instead of paying twice. Answers the payout object ({@code id}, {@code status}:
   * processing, succeeded, failed, reversed).
   */
  public Future<JsonObject> payout(long amountCfa, String mobile, String name, String clientReference, String reason, String idempotencyKey) {
    JsonObject body = new JsonObject().put("currency", "XOF").put("receive_amount", Long.toString(amountCfa)).put("mobile", mobile)
        .put("name", name).put("client_reference", clientReference)
        .put("payment_reason", reason.length() > 40 ? reason.substring(0, 40) : reason);
    return call(HttpMethod.POST, "/v1/payout", body, idempotencyKey);
  }

  public Future<JsonObject> getPayout(String payoutId) {
    return call(HttpMethod.GET, "/v1/payout/" + enc(payoutId), null, null);
  }

  public boolean circuitOpen() {
    return breaker.isOpen();
  }

  private Future<JsonObject> call(HttpMethod method, String path, JsonObject body, String idempotencyKey) {
    return attempt(method, path, body, idempotencyKey, 0);
  }

  private Future<JsonObject> attempt(HttpMethod method, String path, JsonObject body, String idempotencyKey, int attempt) {
    if (!breaker.allow()) return Future.failedFuture(new WaveException(0, "circuit-open", "Wave is unavailable (circuit open)."));
    HttpRequest<Buffer> req = client.requestAbs(method, baseUrl + path).timeout(timeoutMs)
        .putHeader("Authorization", "Bearer " + apiKey).putHeader("Accept", "application/json");
    if (idempotencyKey != null) req.putHeader("Idempotency-Key", idempotencyKey);
    Future<HttpResponse<Buffer>> sent = body == null ? req.send() : req.sendJsonObject(body);
    return sent
        .recover(e -> Future.failedFuture(new WaveException(0, "no-answer", "Wave did not answer: " + e.getClass().getSimpleName())))
        .compose(this::parse)
        .onSuccess(r -> breaker.success())
        .recover(e -> {
          WaveException w = e instanceof WaveException we ? we : new WaveException(0, "unknown", e.toString());
          if (!w.retryable()) {
            breaker.success();   // Wave answered: it is up, the request was wrong
            return Future.failedFuture(w);
          }
          breaker.failure();
          if (attempt >= maxRetries) return Future.failedFuture(w);
          Promise<JsonObject> retry = Promise.promise();
          long backoff = Math.min(100L << attempt, 2_000) + (long) (Math.random() * 50);
          vertx.setTimer(backoff, t -> attempt(method, path, body, idempotencyKey, attempt + 1).onComplete(retry));
          return retry.future();
        });
  }

  private Future<JsonObject> parse(HttpResponse<Buffer> r) {
    if (r.statusCode() / 100 == 2) {
      return Future.succeededFuture(r.body() == null || r.body().length() == 0 ? new JsonObject() : r.bodyAsJsonObject());
    }
    String code = "http-" + r.statusCode();
    String message = "Wave answered " + r.statusCode();
    try {
      JsonObject err = r.bodyAsJsonObject();
      if (err != null && err.getString("code") != null) {
        code = err.getString("code");
        message = err.getString("message", message);
      }
    } catch (RuntimeException ignored) {
      // not JSON: keep the status
    }
    return Future.failedFuture(new WaveException(r.statusCode(), code, message));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
