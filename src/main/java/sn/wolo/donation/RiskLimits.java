package sn.wolo.donation;

import sn.wolo.platform.config.RuntimeSettings;

/**
 * The fraud rules' thresholds. Admins tune them while the product runs ({@code PUT /v1/admin/config/…}),
 * so each is read at its use from {@link RuntimeSettings} (the stored value, else application.yaml).
 */
record RiskLimits(RuntimeSettings live) {

  int tinyAmountCfa() {
    return live.integer("donation.risk.tiny-amount-cfa");
  }

  int maxPerPhonePerHour() {
    return live.integer("donation.risk.max-per-phone-per-hour");
  }

  int maxPerIpPerHour() {
    return live.integer("donation.risk.max-per-ip-per-hour");
  }

  int maxPerPotPer10Minutes() {
    return live.integer("donation.risk.max-per-pot-per-10-minutes");
  }

  int refuseThreshold() {
    return live.integer("donation.risk.refuse-threshold");
  }
}
