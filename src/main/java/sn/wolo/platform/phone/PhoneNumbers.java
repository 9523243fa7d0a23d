package sn.wolo.platform.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import sn.wolo.platform.errors.DomainException;

/** Phone numbers as E.164, Senegal by default: {@code 77 123 45 67} is {@code +221771234567}. */
public final class PhoneNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private PhoneNumbers() {
  }

  public static String normalise(String raw) {
    if (raw == null || raw.isBlank() || raw.length() > 32) {
      throw DomainException.invalid("invalid_phone", "A valid phone number is required.");
    }
    try {
      var number = UTIL.parse(raw.trim(), "SN");
      if (!UTIL.isValidNumber(number)) throw DomainException.invalid("invalid_phone", "This phone number is not valid.");
      return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    } catch (NumberParseException e) {
      throw DomainException.invalid("invalid_phone", "This phone number is not valid.");
    }
  }

  /**
   * A number that may receive an SMS we pay for: a valid MOBILE number of one of {@code regions}
   * (ISO codes). Premium-rate, shared-cost, satellite and fixed lines, and other countries, are
   * refused with 400 {@code unsupported_phone_number}: sending them codes is toll fraud.
   */
  public static String normaliseMobile(String raw, java.util.Set<String> regions) {
    String e164 = normalise(raw);
    try {
      var number = UTIL.parse(e164, "SN");
      var type = UTIL.getNumberType(number);
      boolean mobile = type == PhoneNumberUtil.PhoneNumberType.MOBILE || type == PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE;
      if (mobile && regions.contains(UTIL.getRegionCodeForNumber(number))) return e164;
    } catch (NumberParseException e) {
      // normalise() parsed it already
    }
    throw DomainException.invalid("unsupported_phone_number", "Codes are sent only to mobile numbers of " + String.join(", ", regions) + ".");
  }

  /** For logs: the country code and the last two digits only. */
  public static String mask(String e164) {
    if (e164 == null || e164.length() < 6) return "***";
    return e164.substring(0, 4) + "*****" + e164.substring(e164.length() - 2);
  }
}
