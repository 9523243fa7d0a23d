package sn.wolo.notification.channel;

import io.vertx.core.Vertx;
import sn.wolo.platform.config.WoloConfig;

import java.time.Clock;
import java.util.Map;

/** Picks each channel's provider from configuration; a channel without provider uses the sandbox. */
public final class Channels {

  private final Map<String, Channel> byChannel;

  public Channels(Vertx vertx, WoloConfig config, PushChannel.DeviceTokens devices, Clock clock) {
    Channel sandbox = new SandboxChannel();
    byChannel = Map.of(
        "email", config.optional("notification.email.smtp-host").isPresent() ? new EmailChannel(vertx, config) : sandbox,
        "sms", config.optional("notification.sms.base-url").isPresent() ? new SmsGatewayChannel(vertx, config) : sandbox,
        "whatsapp", config.optional("notification.whatsapp.base-url").isPresent() ? new WhatsAppChannel(vertx, config) : sandbox,
        "push", config.optional("notification.push.base-url").isPresent() ? new PushChannel(vertx, config, devices, clock) : sandbox);
  }

  public Channel forChannel(String channel) {
    Channel c = byChannel.get(channel);
    if (c == null) throw new IllegalArgumentException("no such channel " + channel);
    return c;
  }

  public String description() {
    StringBuilder sb = new StringBuilder();
    byChannel.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(" → ").append(v.provider()));
    return sb.toString();
  }
}
