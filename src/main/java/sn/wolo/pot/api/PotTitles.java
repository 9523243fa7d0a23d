package sn.wolo.pot.api;

import java.util.List;
import java.util.UUID;

/** The titles of the pots asked about (those that exist), for messages that name them. */
public record PotTitles(List<PotTitle> pots) {

  /** A pot's id and title. */
  public record PotTitle(UUID potId, String title) {
  }
}
