package sn.wolo.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlatJsonEncoderTest {

  @Test
  void anAccessLineIsOneFlatJsonObjectWithNumbersAsNumbers() {
    LoggerContext context = new LoggerContext();
    LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("sn.wolo.access"), Level.INFO, "http", null, null);
    event.setTimeStamp(Instant.parse("2026-11-25T10:15:30.123Z").toEpochMilli());
    event.setKeyValuePairs(List.of(new KeyValuePair("request_id", "r-1"), new KeyValuePair("path", "/v1/me"),
        new KeyValuePair("status", 200), new KeyValuePair("duration_ms", 3L)));
    FlatJsonEncoder encoder = new FlatJsonEncoder();
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line");
    JsonObject json = new JsonObject(line);
    assertEquals("2026-11-25T10:15:30.123Z", json.getString("ts"));
    assertEquals("INFO", json.getString("level"));
    assertEquals("/v1/me", json.getString("path"));
    assertEquals(200, json.getValue("status"), "a number, not \"200\"");
    assertEquals(3, json.getValue("duration_ms"));
    assertEquals("r-1", json.getString("request_id"));
  }

  /** Issue 17: a readable line in the dev profile (or when asked), JSON otherwise. */
  @Test
  void theDevConsoleReadsAsOneLinePerEvent() {
    LoggerContext context = new LoggerContext();
    LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("sn.wolo.pot.PotLifecycle"), Level.WARN, "opened {} pots", null,
        new Object[] {3});
    event.setTimeStamp(Instant.parse("2026-11-25T10:15:30.123Z").toEpochMilli());
    event.setKeyValuePairs(List.of(new KeyValuePair("request_id", "r-9"), new KeyValuePair("status", 200)));
    assertEquals("10:15:30.123 WARN  pot.PotLifecycle - opened 3 pots request_id=r-9 status=200\n", ConsoleEncoder.line(event));
    assertTrue(ConsoleEncoder.text(null, null), "dev is the default profile: text");
    assertTrue(ConsoleEncoder.text("", "dev"));
    assertTrue(!ConsoleEncoder.text(null, "prod"), "JSON in production");
    assertTrue(!ConsoleEncoder.text("json", "dev"), "asked for JSON");
    assertTrue(ConsoleEncoder.text("text", "prod"), "asked for text");
  }
}
