package sn.wolo.pot;

import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;

/** Pots: birthday money pots, their J-30 lifecycle, invitations and daily snapshots (schema pots). */
public final class PotVerticle extends DomainVerticle {

  public static final String DOMAIN = "pot";

  public PotVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }
}
