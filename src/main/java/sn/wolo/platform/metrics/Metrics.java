package sn.wolo.platform.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.util.EnumSet;

/**
 * Vert.x's own metrics (HTTP server by route template, method and status with latency histograms;
 * the PostgreSQL pool; the event bus; the JVM) in one Prometheus registry per process, to which
 * {@link BusinessGauges} adds the product's backlogs and money states.
 */
public final class Metrics {

  private Metrics() {
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Options under which Vert.x records into the registry; the route label is the template ({@code /v1/pots/:id}), never the raw path. */
  public static VertxOptions options() {
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true).setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true))
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.EB_ADDRESS,
            Label.EB_FAILURE)));
    return options;
  }

  /** A Vert.x builder whose metrics go to {@code registry}. */
  public static io.vertx.core.VertxBuilder builder(PrometheusMeterRegistry registry) {
    return Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
  }
}
