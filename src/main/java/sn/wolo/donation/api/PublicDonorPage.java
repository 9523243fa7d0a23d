package sn.wolo.donation.api;

import java.util.List;

/** One page of a pot's public donor list. */
public record PublicDonorPage(List<PublicDonor> donors, String nextCursor) {
}
