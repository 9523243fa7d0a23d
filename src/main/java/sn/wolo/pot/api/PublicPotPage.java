package sn.wolo.pot.api;

import sn.wolo.donation.api.PublicDonor;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** The page a share link opens: no owner's data beyond a display name, donors as the pot shows them. */
public record PublicPotPage(UUID id, String title, String description, String ownerDisplayName, PotStatus status, LocalDate birthdayDate,
                            String coverImageUrl, boolean allowAnonymousDonations, boolean enableMessages, Progress progress,
                            List<PublicDonor> donors, String nextCursor) {

  public record Progress(long raisedCfa, long referralCreditCfa, long targetAmountCfa, int percent, long donorCount) {
  }
}
