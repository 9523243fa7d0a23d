package sn.wolo.notification.channel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import sn.wolo.platform.config.WoloConfig;

/** Email over SMTP (vertx-mail-client): a text part and, when the template has one, an HTML part. */
public final class EmailChannel implements Channel {

  private final MailClient client;
  private final String from;

  public EmailChannel(Vertx vertx, WoloConfig config) {
    MailConfig mail = new MailConfig()
        .setHostname(config.string("notification.email.smtp-host"))
        .setPort(config.integer("notification.email.smtp-port"))
        .setStarttls(config.bool("notification.email.starttls") ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL)
        .setConnectTimeout(5000);
    config.optional("notification.email.username").ifPresent(u -> mail.setUsername(u)
        .setPassword(config.string("notification.email.password")));
    this.client = MailClient.create(vertx, mail);
    this.from = config.string("notification.email.from");
  }

  @Override
  public String provider() {
    return "smtp";
  }

  @Override
  public Future<String> send(OutgoingMessage m) {
    MailMessage mail = new MailMessage().setFrom(from).setTo(m.recipient())
        .setSubject(m.subject() == null ? "WOLO" : m.subject()).setText(m.body());
    if (m.bodyHtml() != null) mail.setHtml(m.bodyHtml());
    return client.sendMail(mail).map(result -> result.getMessageID() != null ? result.getMessageID() : "smtp-" + m.id());
  }
}
