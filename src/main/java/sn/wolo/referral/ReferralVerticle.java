package sn.wolo.referral;

import sn.wolo.platform.AppContext;
import sn.wolo.platform.DomainVerticle;

/** Referrals: sponsor invitations (50 a day, batches of 50), points ledger and conversions (schema referrals). */
public final class ReferralVerticle extends DomainVerticle {

  public static final String DOMAIN = "referral";

  public ReferralVerticle(AppContext app) {
    super(app);
  }

  @Override
  public String domain() {
    return DOMAIN;
  }
}
