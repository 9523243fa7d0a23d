package sn.wolo.platform.errors;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * Error messages in the caller's language. Codes never change; messages are English as raised, or
 * French from {@code i18n/errors_fr.properties} (WOLO's default language: fr-SN). A code the
 * catalogue does not know keeps its English message; a field's {@code invalid_<field>} code without an
 * entry reads "{field} n'est pas valide"; a message stating figures keeps them (see {@link #carriesFigures}).
 */
public final class ErrorMessages {

  public enum Language { FR, EN }

  private final Properties french;

  private ErrorMessages(Properties french) {
    this.french = french;
  }

  /** Reads the catalogue (classpath I/O: call it off the event loop). */
  public static ErrorMessages load() {
    Properties p = new Properties();
    try (InputStream in = ErrorMessages.class.getClassLoader().getResourceAsStream("i18n/errors_fr.properties")) {
      if (in == null) throw new IllegalStateException("i18n/errors_fr.properties is not on the classpath");
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ErrorMessages(p);
  }

  /** The message of an error with {@code code}; {@code english} is the one it was raised with. */
  public String message(Language language, String code, String english, List<FieldError> fields) {
    if (language == Language.EN) return english;
    if (code.equals("validation_failed") && !fields.isEmpty()) {
      return french.getProperty(code).replace("{count}", Integer.toString(fields.size()))
          .replace("{fields}", String.join(", ", fields.stream().map(FieldError::path).toList()));
    }
    if (fields.size() == 1 && fields.get(0).code().equals(code)) return field(language, fields.get(0)).message();
    return carriesFigures(english) ? english : french.getProperty(code, english);
  }

  /**
   * A message stating figures (a range, a shortfall, a limit) stays as raised: the catalogue's
   * messages have no arguments yet, and a figure is worth more to the caller than the language.
   */
  private static boolean carriesFigures(String message) {
    return message != null && message.chars().anyMatch(Character::isDigit);
  }

  /** A field's error in {@code language}. */
  public FieldError field(Language language, FieldError error) {
    if (language == Language.EN || carriesFigures(error.message())) return error;
    String template = french.getProperty(error.code());
    if (template == null && error.code().startsWith("invalid_")) {
      template = french.getProperty(error.message().contains("required") ? "invalid.required" : "invalid.generic");
    }
    if (template == null) return error;
    String name = error.path().isEmpty() ? "Le corps de la requête" : error.path();
    return new FieldError(error.path(), error.code(), template.replace("{field}", name));
  }
}
