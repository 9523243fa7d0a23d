package sn.wolo.profile.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/** A profile as its owner sees it (never the ID number). {@code complete}: nothing {@code missing} to own a pot. */
public record Profile(UUID userId, String fullName, LocalDate dateOfBirth, String locale, String timezone, String avatarUrl, String bio,
                      boolean isProfilePublic, boolean allowContactBySponsors, boolean isMinor, boolean complete, String missing,
                      Guardian guardian, IdDocument idDocument) {

  /** A minor's guardian: accepted ({@code userId}) or asked ({@code request}). */
  public record Guardian(UUID userId, String relationshipType, Map<String, Object> request) {
  }

  public record IdDocument(boolean submitted, String idType, String idCountry, Instant verifiedAt) {
  }
}
