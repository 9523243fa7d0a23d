package sn.wolo.platform.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import sn.wolo.platform.config.WoloConfig;

import java.util.regex.Pattern;

/**
 * OpenTelemetry tracing with W3C trace context: a {@code traceparent} sent by a client is honoured at
 * the edge, carried over the event bus, sent on outgoing Wave, SMS and email calls (Vert.x clients),
 * stored with each outbox event and put in its Kafka record's headers. Spans are exported by OTLP/HTTP
 * only when {@code WOLO_TRACING_OTLP_ENDPOINT} is set; propagation works without an exporter.
 */
public final class Tracing {

  public static final String HEADER = "traceparent";
  private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private Tracing() {
  }

  /** The builder with a tracer when {@code tracing} is on. */
  public static VertxBuilder apply(WoloConfig config, VertxBuilder builder, VertxOptions options) {
    if (!config.bool("tracing")) return builder;
    options.setTracingOptions(new OpenTelemetryOptions());
    return builder.withTracer(new OpenTelemetryTracingFactory(sdk(config)));
  }

  static OpenTelemetry sdk(WoloConfig config) {
    SdkTracerProviderBuilder traces = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "wolo"))));
    // Without an exporter a recorded span goes nowhere: the server's own traces are not recorded
    // (their context still propagates, unsampled; attributes and timings were ~3 % of the event loops
    // under load). A client that asks for sampling (traceparent flag 01) is still honoured.
    config.optional("tracing-otlp-endpoint").ifPresentOrElse(endpoint ->
        traces.addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build()).build()),
        () -> traces.setSampler(Sampler.parentBased(Sampler.alwaysOff())));
    return OpenTelemetrySdk.builder().setTracerProvider(traces.build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
  }

  /** The current span as a W3C {@code traceparent}, or null outside a trace (a timer, a sweep). */
  public static String currentTraceparent() {
    SpanContext span = Span.current().getSpanContext();
    if (!span.isValid()) return null;
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
  }

  /** A stored value is only ever a well-formed traceparent (it goes into Kafka headers). */
  public static String sane(String traceparent) {
    return traceparent != null && TRACEPARENT.matcher(traceparent).matches() ? traceparent : null;
  }
}
