package sn.wolo.platform;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeOrderedIdsTest {

  @Test
  void idsAreVersion7WithTheirMillisecondFirstAndOrderedByIt() {
    UUID id = TimeOrderedIds.at(1_764_150_000_123L);
    assertEquals(7, id.version());
    assertEquals(2, id.variant(), "RFC variant (10xx)");
    assertEquals(1_764_150_000_123L, id.getMostSignificantBits() >>> 16, "the first 48 bits are the Unix milliseconds");
    UUID later = TimeOrderedIds.at(1_764_150_000_124L);
    assertTrue(id.toString().compareTo(later.toString()) < 0, "a later millisecond sorts after, as text and in PostgreSQL's uuid order");
  }

  @Test
  void aBurstOfIdsHasNoDuplicate() {
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 200_000; i++) assertTrue(seen.add(TimeOrderedIds.next()));
  }
}
