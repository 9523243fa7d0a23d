package sn.wolo.notification;

import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;

/** Notifications: templated SMS, WhatsApp and email, preferences, delivery tracking (schema notifications). */
public final class NotificationVerticle extends DomainVerticle {

  public static final String DOMAIN = "notification";

  public NotificationVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }
}
