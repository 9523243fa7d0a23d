package sn.wolo.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.security.Authn;
import sn.wolo.platform.security.Principal;
import sn.wolo.platform.security.Tokens;

import java.security.MessageDigest;

/**
 * Client idempotency keys ({@code Idempotency-Key}, ≤ 255 characters) on the POSTs that create
 * money or send messages. The first request with a key claims it in {@code platform.idempotency_keys}
 * (the primary key makes concurrent retries see one winner), runs, and its response (status and
 * body, any status below 500) is stored BEFORE it is sent. Within 24 h the same key and body gets
 * that response again without anything being done ({@code Idempotent-Replayed: true}); the same key
 * with another body is 422 {@code idempotency_key_reused}; a retry while the first still runs is 409
 * {@code idempotency_request_in_progress}. A 5xx frees the key so the retry runs. Keys are scoped
 * to the caller (user id, or "guest") and the method and path.
 */
public final class IdempotencyKeys {

  public static final String HEADER = "Idempotency-Key";
  private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
  private static final String PENDING = "wolo.idempotency.pending";
  /** Set by the error handler on a request-timeout 503: the handler may still be working. */
  static final String TIMEOUT_MARK = "wolo.timed-out";
  static final String TIMED_OUT = "yes";
  /** A claim whose request never answered (crash) may be taken over after this. */
  private static final int ABANDONED_SECONDS = 60;

  private static final String CLAIM = """
      INSERT INTO platform.idempotency_keys (scope, idem_key, request_hash) VALUES ($1, $2, $3)
      ON CONFLICT (scope, idem_key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now(),
             status_code = NULL, response_body = NULL
      WHERE idempotency_keys.created_at < now() - interval '24 hours'
         OR (idempotency_keys.status_code IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash
             AND idempotency_keys.created_at < now() - make_interval(secs => $4))
      RETURNING 1""";
  private static final String READ = "SELECT request_hash, status_code, response_body FROM platform.idempotency_keys WHERE scope = $1 AND idem_key = $2";
  private static final String STORE = "UPDATE platform.idempotency_keys SET status_code = $3, response_body = $4 WHERE scope = $1 AND idem_key = $2";
  private static final String RELEASE = "DELETE FROM platform.idempotency_keys WHERE scope = $1 AND idem_key = $2 AND status_code IS NULL";
  private static final String PURGE = """
      DELETE FROM platform.idempotency_keys WHERE ctid IN (SELECT ctid FROM platform.idempotency_keys
      WHERE created_at < now() - interval '24 hours' LIMIT 10000)""";

  private record Pending(Pool pool, String scope, String key) {
  }

  private final Pool pool;

  public IdempotencyKeys(Pool pool) {
    this.pool = pool;
  }

  /** Route handler, after authentication: claims the key, replays a stored response, or refuses. */
  public Handler<RoutingContext> handler() {
    return ctx -> {
      String key = ctx.request().getHeader(HEADER);
      if (key == null) {
        ctx.next();
        return;
      }
      if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
        throw DomainException.invalid("invalid_idempotency_key", "Idempotency-Key is 1 to 255 visible ASCII characters.");
      }
      Principal caller = Authn.principalOrNull(ctx);
      String scope = (caller == null ? "guest" : "user:" + caller.userId()) + " " + ctx.request().method() + " " + ctx.request().path();
      byte[] hash = Tokens.sha256(ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
      pool.preparedQuery(CLAIM).execute(Tuple.of(scope, key, hash, ABANDONED_SECONDS))
          .compose(claimed -> {
            if (claimed.size() == 1) {
              ctx.put(PENDING, new Pending(pool, scope, key));
              ctx.next();
              return Future.succeededFuture();
            }
            return pool.preparedQuery(READ).execute(Tuple.of(scope, key)).map(rows -> {
              answerExisting(ctx, rows.size() == 0 ? null : rows.iterator().next(), hash);
              return null;
            });
          })
          .onFailure(ctx::fail);
    };
  }

  private static void answerExisting(RoutingContext ctx, Row stored, byte[] hash) {
    if (stored == null) {
      throw new DomainException(ErrorKind.CONFLICT, "idempotency_request_in_progress", "A request with this Idempotency-Key is being processed; retry shortly.");
    }
    if (!MessageDigest.isEqual(stored.getBuffer("request_hash").getBytes(), hash)) {
      throw new DomainException(ErrorKind.UNPROCESSABLE, "idempotency_key_reused", "This Idempotency-Key was used with a different request body.");
    }
    Integer status = stored.getInteger("status_code");
    if (status == null) {
      ctx.response().putHeader("Retry-After", "1");
      throw new DomainException(ErrorKind.CONFLICT, "idempotency_request_in_progress", "A request with this Idempotency-Key is being processed; retry shortly.");
    }
    ctx.response().setStatusCode(status).putHeader("Idempotent-Replayed", "true");
    String body = stored.getString("response_body");
    if (body == null || body.isEmpty()) {
      ctx.response().end();
    } else {
      ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body);
    }
  }

  /**
   * Ends the response; when the request claimed a key, first stores the response (below 500) or frees
   * the key (5xx), so that an answer the client saw is the answer every retry gets.
   */
  static void end(RoutingContext ctx, int status, String body) {
    Pending pending = ctx.get(PENDING);
    boolean alreadyAnswered = ctx.response().headWritten();   // the request timed out (503) before its work finished
    if (!alreadyAnswered) ctx.response().setStatusCode(status);
    if (pending == null) {
      if (!alreadyAnswered) endNow(ctx, body);
      return;
    }
    if (TIMED_OUT.equals(ctx.get(TIMEOUT_MARK)) && !alreadyAnswered) {
      // The work may still complete: keep the key claimed so its late outcome is what retries get.
      endNow(ctx, body);
      return;
    }
    ctx.remove(PENDING);
    Future<?> recorded = status >= 500
        ? pending.pool().preparedQuery(RELEASE).execute(Tuple.of(pending.scope(), pending.key()))
        : pending.pool().preparedQuery(STORE).execute(Tuple.of(pending.scope(), pending.key(), status, body));
    recorded.onComplete(ar -> {
      if (ar.failed()) log.warn("idempotent response not stored (a retry may run again): {}", ar.cause().toString());
      if (!alreadyAnswered) endNow(ctx, body);
    });
  }

  private static void endNow(RoutingContext ctx, String body) {
    if (body == null) ctx.response().end();
    else ctx.response().end(body);
  }

  /** Deletes keys older than 24 h (hourly housekeeping); how many went. */
  public static Future<Integer> purge(Pool pool) {
    return pool.query(PURGE).execute().map(r -> r.rowCount());
  }
}
