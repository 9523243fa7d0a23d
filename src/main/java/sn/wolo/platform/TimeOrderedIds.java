package sn.wolo.platform;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUIDs of version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Rows keyed by
 * them are inserted at the right edge of their index, in time order, instead of on a random page —
 * what a table written at burst rate needs. Not for secrets or capabilities: the creation time is
 * readable and the random part comes from a fast generator.
 */
public final class TimeOrderedIds {

  private TimeOrderedIds() {
  }

  public static UUID next() {
    return at(System.currentTimeMillis());
  }

  static UUID at(long unixMillis) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }
}
