package sn.wolo.donation;

import sn.wolo.platform.errors.DomainException;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;

/**
 * A position in a pot's public donor list (newest first): the last donor's confirmation time and a
 * hash of its donation's id as the tie-break. Unlike the owner's lists, it never carries the
 * donation id itself: the public list must not hand out ids that open a donation's status.
 */
record PublicDonorCursor(OffsetDateTime at, String tiebreak) {

  String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((at + "|" + tiebreak).getBytes(StandardCharsets.UTF_8));
  }

  /** Null for the first page; a malformed cursor is a 400 {@code invalid_cursor}. */
  static PublicDonorCursor decode(String raw) {
    if (raw == null || raw.isEmpty()) return null;
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split("\\|", 2);
      if (!parts[1].matches("[0-9a-f]{32}")) throw new IllegalArgumentException("tie-break");
      return new PublicDonorCursor(OffsetDateTime.parse(parts[0]), parts[1]);
    } catch (RuntimeException e) {
      throw DomainException.invalid("invalid_cursor", "cursor is the next_cursor of a previous page.");
    }
  }
}
