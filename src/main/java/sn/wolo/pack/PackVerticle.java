package sn.wolo.pack;

import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;

/** Packs: the partner gift catalogue, partners and sponsor campaigns (schema packs). */
public final class PackVerticle extends DomainVerticle {

  public static final String DOMAIN = "pack";

  public PackVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }
}
