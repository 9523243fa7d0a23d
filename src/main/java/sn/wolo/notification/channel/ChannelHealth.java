package sn.wolo.notification.channel;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * How each channel's provider has answered since the last look: sends, failures, mean response time.
 * Read (and reset) by the admin domain's health history every minute, so probing a provider never
 * sends a message.
 */
public final class ChannelHealth {

  private static final class Window {
    int sent;
    int failed;
    long totalMs;
  }

  private final Channels channels;
  private final Map<String, Window> windows = new HashMap<>();

  public ChannelHealth(Channels channels) {
    this.channels = channels;
  }

  public synchronized void record(String channel, boolean ok, long elapsedMs) {
    Window w = windows.computeIfAbsent(channel, c -> new Window());
    if (ok) w.sent++;
    else w.failed++;
    w.totalMs += elapsedMs;
  }

  /** Per channel: provider, status (healthy, degraded when some sends failed, unhealthy when most did), counts; then a new window. */
  public synchronized JsonObject snapshotAndReset() {
    JsonObject out = new JsonObject();
    for (String channel : new String[] {"sms", "whatsapp", "email", "push"}) {
      Window w = windows.getOrDefault(channel, new Window());
      int total = w.sent + w.failed;
      String status = w.failed == 0 ? "healthy" : w.failed >= 3 && w.failed * 2 > total ? "unhealthy" : "degraded";
      out.put(channel, new JsonObject().put("status", status).put("provider", channels.forChannel(channel).provider())
          .put("sent", w.sent).put("failed", w.failed).put("response_time_ms", total == 0 ? null : (int) (w.totalMs / total)));
    }
    windows.clear();
    return out;
  }
}
