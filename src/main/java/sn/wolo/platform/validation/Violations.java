package sn.wolo.platform.validation;

import sn.wolo.platform.errors.DomainException;
import sn.wolo.platform.errors.ErrorKind;
import sn.wolo.platform.errors.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects every invalid field of a request, so the client hears of all of them at once: each field
 * is read through {@link #field}; {@link #throwIfAny} then refuses the request with the list
 * ({@code fields}), the code being the field's own when only one is wrong, {@code validation_failed}
 * otherwise.
 */
public final class Violations {

  private final List<FieldError> errors = new ArrayList<>();

  /** Reads a field; an INVALID refusal is recorded (path = the field) and the value is null. */
  public <T> T field(String path, Supplier<T> read) {
    try {
      return read.get();
    } catch (DomainException e) {
      if (e.kind() != ErrorKind.INVALID) throw e;
      errors.add(new FieldError(path, e.code(), e.getMessage()));
      return null;
    }
  }

  /** Checks a field whose reading has no value to give back. */
  public void check(String path, Runnable check) {
    field(path, () -> {
      check.run();
      return null;
    });
  }

  /** An invalid field found by another check (the contract's schema). */
  public void add(FieldError error) {
    errors.add(error);
  }

  public void throwIfAny() {
    if (errors.isEmpty()) return;
    if (errors.size() == 1) {
      FieldError only = errors.get(0);
      throw new DomainException(ErrorKind.INVALID, only.code(), only.message(), errors, 0);
    }
    throw new DomainException(ErrorKind.INVALID, "validation_failed", errors.size() + " fields are invalid: "
        + String.join(", ", errors.stream().map(FieldError::path).toList()) + ".", errors, 0);
  }
}
