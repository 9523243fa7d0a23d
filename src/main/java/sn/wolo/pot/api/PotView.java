package sn.wolo.pot.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A pot as its owner sees it. {@code raisedCfa} includes {@code referralCreditCfa} (the owner's points);
 * {@code gift}, once converted, says what the gift cost and the surplus left.
 */
public record PotView(UUID id, UUID ownerUserId, String title, String description, long targetAmountCfa, long raisedCfa,
                      long referralCreditCfa, long succeededDonations, LocalDate birthdayDate, Instant scheduledOpenAt, Instant closesAt,
                      Instant actualOpenedAt, Instant closedAt, PotStatus status, String visibility, UUID preferredPackId,
                      boolean allowAnonymousDonations, boolean showDonorNames, boolean enableMessages, long shareCount, long viewCount,
                      String coverImageUrl, Instant createdAt, Gift gift) {

  public record Gift(Instant convertedAt, long priceCfa, long surplusCfa) {
  }
}
