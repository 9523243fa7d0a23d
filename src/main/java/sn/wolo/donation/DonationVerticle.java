package sn.wolo.donation;

import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;

/** Donations: Wave checkout, signed webhooks, reconciliation, refunds, fraud scoring (schema donations). */
public final class DonationVerticle extends DomainVerticle {

  public static final String DOMAIN = "donation";

  public DonationVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }
}
