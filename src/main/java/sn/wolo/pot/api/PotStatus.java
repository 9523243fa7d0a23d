package sn.wolo.pot.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

/**
 * A pot's lifecycle: {@code scheduled} until J-30, {@code open}, {@code funded} once the target is
 * reached (still taking donations), then {@code closed} at the birthday (or by its owner) or
 * {@code expired} when nothing was raised. Stored and sent in lower case.
 */
public enum PotStatus {
  @JsonProperty("scheduled") SCHEDULED,
  @JsonProperty("open") OPEN,
  @JsonProperty("funded") FUNDED,
  @JsonProperty("closed") CLOSED,
  @JsonProperty("expired") EXPIRED;

  public static PotStatus of(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }

  /** As stored in {@code pots.pots.status} and sent on the wire. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Not over yet: the owner's birthday is locked, points can still be credited. */
  public boolean isLive() {
    return this == SCHEDULED || this == OPEN || this == FUNDED;
  }

  public boolean takesDonations() {
    return this == OPEN || this == FUNDED;
  }

  public boolean isOver() {
    return this == CLOSED || this == EXPIRED;
  }
}
