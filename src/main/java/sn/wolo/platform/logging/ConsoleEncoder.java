package sn.wolo.platform.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The console's format: JSON lines ({@link FlatJsonEncoder}) for log shippers, or one readable line
 * per event for a developer's terminal ({@code 12:03:04.567 INFO  pot.PotLifecycle - opened 3 pots
 * request_id=… status=200}). {@code WOLO_LOG_FORMAT} = {@code json} or {@code text}; by default text
 * in the dev profile and JSON otherwise. Both carry the trace id when the event happened in a trace.
 */
public final class ConsoleEncoder extends EncoderBase<ILoggingEvent> {

  private static final byte[] NOTHING = new byte[0];
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private final FlatJsonEncoder json = new FlatJsonEncoder();
  private final boolean text = text(System.getenv("WOLO_LOG_FORMAT"), System.getenv("WOLO_PROFILE"));

  static boolean text(String format, String profile) {
    if ("json".equalsIgnoreCase(format)) return false;
    if ("text".equalsIgnoreCase(format)) return true;
    return profile == null || profile.isBlank() || profile.trim().equalsIgnoreCase("dev");
  }

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
    return text ? line(event).getBytes(StandardCharsets.UTF_8) : json.encode(event);
  }

  static String line(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder(160).append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ')
        .append(String.format("%-5s", event.getLevel())).append(' ').append(shortName(event.getLoggerName())).append(" - ")
        .append(event.getFormattedMessage());
    if (event.getKeyValuePairs() != null) {
      for (var kv : event.getKeyValuePairs()) sb.append(' ').append(kv.key).append('=').append(kv.value);
    }
    String trace = FlatJsonEncoder.traceId();
    if (trace != null) sb.append(" trace_id=").append(trace);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) sb.append('\n').append(ThrowableProxyUtil.asString(thrown));
    return sb.append('\n').toString();
  }

  /** {@code sn.wolo.pot.PotLifecycle} → {@code pot.PotLifecycle}; others keep their last two parts. */
  private static String shortName(String logger) {
    if (logger.startsWith("sn.wolo.")) return logger.substring("sn.wolo.".length());
    int last = logger.lastIndexOf('.');
    int before = last <= 0 ? -1 : logger.lastIndexOf('.', last - 1);
    return before < 0 ? logger : logger.substring(before + 1);
  }
}
