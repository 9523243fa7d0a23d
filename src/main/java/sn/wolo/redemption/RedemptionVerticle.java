package sn.wolo.redemption;

import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;

/** Redemption: QR codes, redemption at partner venues, partner settlements (schema redemption). */
public final class RedemptionVerticle extends DomainVerticle {

  public static final String DOMAIN = "redemption";

  public RedemptionVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }
}
