package sn.wolo.platform.wave;

/** A Wave call that did not succeed: HTTP status (0 = no answer) and Wave's error code. */
public final class WaveException extends RuntimeException {

  private final int status;
  private final String code;

  public WaveException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Worth retrying with the same Idempotency-Key: no answer, 408, 429 or 5xx. */
  public boolean retryable() {
    return status == 0 || status == 408 || status == 429 || status >= 500;
  }
}
