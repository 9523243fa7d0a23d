package sn.wolo.donation.api;

import java.util.List;

/** The donors of the donations asked about (those that exist), in no particular order. */
public record DonationDonors(List<DonorContact> donors) {
}
