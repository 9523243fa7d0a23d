package sn.wolo.platform.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One JSON object per line with flat fields: {@code ts} (ISO-8601 UTC), {@code level},
 * {@code logger}, {@code thread}, {@code message}, then each key-value of the event as its own
 * field — numbers stay numbers ({@code "status":200}, {@code "duration_ms":3}) — and
 * {@code exception} when there is one. Log shippers index it without parsing a nested list.
 */
public final class FlatJsonEncoder extends EncoderBase<ILoggingEvent> {

  private static final byte[] NOTHING = new byte[0];
  private final JsonFactory json = new JsonFactory();

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      g.writeStringField("message", event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        for (var kv : event.getKeyValuePairs()) {
          g.writeFieldName(kv.key);
          writeValue(g, kv.value);
        }
      }
      String trace = traceId();
      if (trace != null) g.writeStringField("trace_id", trace);
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) g.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** The trace the logging thread is in (a request's, propagated by Vert.x), or null. */
  static String traceId() {
    String traceparent = sn.wolo.platform.tracing.Tracing.currentTraceparent();
    return traceparent == null ? null : traceparent.substring(3, 35);
  }

  private static void writeValue(JsonGenerator g, Object value) throws IOException {
    if (value == null) g.writeNull();
    else if (value instanceof Integer || value instanceof Long || value instanceof Short) g.writeNumber(((Number) value).longValue());
    else if (value instanceof Number n) g.writeNumber(n.doubleValue());
    else if (value instanceof Boolean b) g.writeBoolean(b);
    else g.writeString(value.toString());
  }
}
