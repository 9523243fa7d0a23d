package sn.wolo.identity;

import sn.wolo.platform.errors.DomainException;

import java.util.Locale;
import java.util.Set;

/** The minimum password strength: long enough, not trivially guessable, not the email itself. */
public final class PasswordPolicy {

  static final int MIN_LENGTH = 10;
  static final int MAX_LENGTH = 128;
  private static final Set<String> COMMON = Set.of("password12", "motdepasse", "1234567890", "azertyuiop",
      "qwertyuiop", "wolowolo12", "senegal123", "dakar12345", "0123456789", "iloveyou12", "password123");

  private PasswordPolicy() {
  }

  public static void check(String password, String email) {
    if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
      throw DomainException.invalid("weak_password", "The password must have " + MIN_LENGTH + " to " + MAX_LENGTH + " characters.");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    if (COMMON.contains(lower) || password.chars().distinct().count() < 5) {
      throw DomainException.invalid("weak_password", "This password is too easy to guess.");
    }
    boolean letter = password.chars().anyMatch(Character::isLetter);
    boolean other = password.chars().anyMatch(c -> !Character.isLetter(c));
    if (!letter || !other) {
      throw DomainException.invalid("weak_password", "Mix letters with digits or symbols.");
    }
    if (email != null && email.contains("@") && lower.contains(email.substring(0, email.indexOf('@')).toLowerCase(Locale.ROOT))
        && email.indexOf('@') >= 4) {
      throw DomainException.invalid("weak_password", "The password must not contain your email address.");
    }
  }
}
