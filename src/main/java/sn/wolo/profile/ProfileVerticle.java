package sn.wolo.profile;

import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;

/** Profiles: personal data, guardians of minors, ID checks, addresses (schema profiles). */
public final class ProfileVerticle extends DomainVerticle {

  public static final String DOMAIN = "profile";

  public ProfileVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }
}
