package sn.wolo.pack.api;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A pack as the catalogue shows it, with {@code isActive}: on sale today. {@code venues} are the
 * partner's venues (narrowed to the pack's restrictions) as the partner described them.
 */
public record PackOffer(UUID id, String name, String description, String category, long priceCfa, Long basePriceCfa,
                        Long discountedPriceCfa, PartnerRef partner, List<Map<String, Object>> venues, Integer validityDays,
                        Integer maxRedemptionsPerUser, Integer stockLeft, String imageUrl, String termsAndConditions,
                        String redemptionInstructions, LocalDate availableFrom, LocalDate availableUntil, boolean isActive) {

  public record PartnerRef(UUID id, String name) {
  }
}
