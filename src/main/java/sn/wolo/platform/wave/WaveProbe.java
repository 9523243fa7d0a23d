package sn.wolo.platform.wave;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/**
 * Wave's health for the admin's history: a read-only search for a reference no checkout carries
 * (no money moves), timed. Slow is degraded, an error or an open circuit is unhealthy.
 */
public final class WaveProbe {

  private static final String REFERENCE = "wolo-health-probe";
  private static final long SLOW_MS = 2_000;
  private static final long TIMEOUT_MS = 5_000;

  private WaveProbe() {
  }

  public static Future<JsonObject> probe(WaveClient wave) {
    if (wave.circuitOpen()) {
      return Future.succeededFuture(new JsonObject().put("wave", new JsonObject().put("status", "unhealthy").put("circuit_open", true)));
    }
    long started = System.nanoTime();
    return wave.searchByClientReference(REFERENCE).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(found -> status(started, null))
        .recover(e -> Future.succeededFuture(status(started, e.getClass().getSimpleName())));
  }

  private static JsonObject status(long started, String error) {
    long ms = (System.nanoTime() - started) / 1_000_000;
    String status = error != null ? "unhealthy" : ms > SLOW_MS ? "degraded" : "healthy";
    return new JsonObject().put("wave", new JsonObject().put("status", status).put("response_time_ms", ms).put("circuit_open", false)
        .put("error", error));
  }
}
