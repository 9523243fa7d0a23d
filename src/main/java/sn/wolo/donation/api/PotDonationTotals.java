package sn.wolo.donation.api;

/** Succeeded donations to a pot: their sum, their number, distinct donors. */
public record PotDonationTotals(long raisedCfa, long count, long donors) {
}
