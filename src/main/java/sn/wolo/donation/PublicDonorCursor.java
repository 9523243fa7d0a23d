package sn.wolo.donation;

import sn.wolo.platform.db.Cursor;

import java.time.OffsetDateTime;

/**
 * A position in a pot's public donor list (newest first): the last donor's confirmation time and a
 * hash of its donation's id as the tie-break, in the form of every list cursor ({@link Cursor}).
 * Unlike the owner's lists, it never carries the donation id itself: the public list must not hand
 * out ids that open a donation's status.
 */
record PublicDonorCursor(OffsetDateTime at, String tiebreak) {

  String encode() {
    return Cursor.encode(at, tiebreak);
  }

  /** Null for the first page; a malformed cursor is a 400 {@code invalid_cursor}. */
  static PublicDonorCursor decode(String raw) {
    return Cursor.decode(raw, (at, tail) -> {
      if (!tail.matches("[0-9a-f]{32}")) throw new IllegalArgumentException("not a tie-break");
      return new PublicDonorCursor(at, tail);
    });
  }
}
