package sn.wolo.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import sn.wolo.testing.Await;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The benchmarks' load generator: keeps {@code connections} requests in flight until {@code count}
 * requests were answered or the time bound passed (it stops by itself), and records each latency
 * and each non-2xx answer by cause (status and error code when the body names one).
 */
final class HttpLoad {

  private static final long MAX_SECONDS = 600;

  /** One request: its options and its body (null for none). */
  record Request(RequestOptions options, Buffer body) {
  }

  record Result(int count, int non2xx, double seconds, long[] latenciesNanos, Map<String, Integer> failures) {
    double perSecond() {
      return count / seconds;
    }

    double percentileMillis(double p) {
      long[] l = latenciesNanos.clone();
      Arrays.sort(l);
      return l.length == 0 ? Double.NaN : l[(int) Math.max(0, Math.min(l.length - 1, Math.ceil(l.length * p) - 1))] / 1e6;
    }

    void print(String name) {
      System.out.printf("%-9s %,d requests in %.1f s = %,.0f req/s, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms, non-2xx %d%n", name + ":",
          count, seconds, perSecond(), percentileMillis(0.5), percentileMillis(0.99), percentileMillis(0.999), percentileMillis(1.0), non2xx);
      if (!failures.isEmpty()) System.out.printf("          failures by cause: %s%n", failures);
    }
  }

  private HttpLoad() {
  }

  static Result run(Vertx loader, HttpClient client, int count, int connections, IntFunction<Request> request) {
    long[] latencies = new long[count];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger bad = new AtomicInteger();
    Map<String, Integer> failures = new ConcurrentHashMap<>();
    long stop = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
    Promise<Void> finished = Promise.promise();
    long start = System.nanoTime();
    Runnable[] worker = new Runnable[1];
    worker[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= count || System.nanoTime() > stop) {
        if (done.get() >= Math.min(next.get(), count)) finished.tryComplete();
        return;
      }
      long t0 = System.nanoTime();
      Request r = request.apply(i);
      Future<String> outcome = client.request(r.options())
          .compose(req -> (r.body() == null ? req.send() : req.send(r.body())).compose(resp -> resp.body().map(b -> cause(resp.statusCode(), b))));
      outcome.onComplete(ar -> {
        latencies[i] = System.nanoTime() - t0;
        if (ar.failed() || ar.result() != null) {
          bad.incrementAndGet();
          failures.merge(ar.failed() ? ar.cause().getClass().getSimpleName() : ar.result(), 1, Integer::sum);
        }
        if (done.incrementAndGet() >= count) finished.tryComplete();
        worker[0].run();
      });
    };
    loader.runOnContext(v -> {
      for (int c = 0; c < connections; c++) worker[0].run();
    });
    Await.result(finished.future(), (int) MAX_SECONDS + 60);
    double seconds = (System.nanoTime() - start) / 1e9;
    int answered = Math.min(done.get(), count);
    return new Result(answered, bad.get(), seconds, Arrays.copyOf(latencies, answered), failures);
  }

  /** Null for a 2xx; else "HTTP 409 pot_not_accepting" (the error code of WOLO's error body when there is one). */
  private static String cause(int status, Buffer body) {
    if (status / 100 == 2) return null;
    String code = null;
    try {
      code = body.toJsonObject().getJsonObject("error").getString("code");
    } catch (RuntimeException notJson) {
      // no error body: the status alone
    }
    return "HTTP " + status + (code == null ? "" : " " + code);
  }
}
