package sn.wolo.admin;

import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;

/** Administration: feature flags, system configuration, audit log, admin sessions (schema admin). */
public final class AdminVerticle extends DomainVerticle {

  public static final String DOMAIN = "admin";

  public AdminVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }
}
