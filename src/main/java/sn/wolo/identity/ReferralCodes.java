package sn.wolo.identity;

import sn.wolo.platform.errors.DomainException;

import java.util.Locale;

/**
 * The shape of a sponsor's referral code as sign-up accepts it (the referral domain decides what it
 * is worth, from {@code identity.user_signed_up}): 6 to 12 letters and digits, case-insensitive.
 */
final class ReferralCodes {

  private ReferralCodes() {
  }

  /** Upper-cased, or null when absent; 400 {@code invalid_referral_code} when malformed. */
  static String normalised(Object raw) {
    if (raw == null) return null;
    if (raw instanceof String s && s.trim().matches("[A-Za-z0-9]{6,12}")) return s.trim().toUpperCase(Locale.ROOT);
    throw DomainException.invalid("invalid_referral_code", "referral_code has 6 to 12 letters and digits.");
  }
}
