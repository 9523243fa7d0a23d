package sn.wolo.platform.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;
import sn.wolo.platform.config.WoloConfig;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spans are recorded only where they can go somewhere: an exporter, or a client that asked for sampling. */
class TracingSamplingTest {

  private static final SpanContext SAMPLED_CLIENT = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
      "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());

  @Test
  void withoutAnExporterTheServersOwnTracesPropagateUnrecorded() {
    OpenTelemetry otel = Tracing.sdk(WoloConfig.load(Map.of(), Map.of()).with(Map.of("tracing-otlp-endpoint", "")));
    Span root = otel.getTracer("test").spanBuilder("request").startSpan();
    assertFalse(root.isRecording(), "nothing would export it");
    assertTrue(root.getSpanContext().isValid(), "its context still propagates");

    Span child = otel.getTracer("test").spanBuilder("request").setParent(Context.root().with(Span.wrap(SAMPLED_CLIENT))).startSpan();
    assertTrue(child.isRecording(), "a client that asked for sampling is honoured");
    assertEquals(SAMPLED_CLIENT.getTraceId(), child.getSpanContext().getTraceId());
  }

  @Test
  void withAnExporterEveryTraceIsRecorded() {
    OpenTelemetry otel = Tracing.sdk(WoloConfig.load(Map.of(), Map.of()).with(Map.of("tracing-otlp-endpoint", "http://127.0.0.1:1/v1/traces")));
    Span root = otel.getTracer("test").spanBuilder("request").startSpan();
    assertTrue(root.isRecording());
    root.end();
  }
}
