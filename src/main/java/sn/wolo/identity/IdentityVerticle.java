package sn.wolo.identity;

import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;

/** Identity: accounts, phone OTP and email login, sessions and roles (schema identity). */
public final class IdentityVerticle extends DomainVerticle {

  public static final String DOMAIN = "identity";

  public IdentityVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }
}
