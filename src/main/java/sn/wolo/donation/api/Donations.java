package sn.wolo.donation.api;

import io.vertx.core.Future;
import sn.wolo.platform.bus.BusContract;

import java.util.List;
import java.util.UUID;

/** What other domains (pots, notifications, the guest web pages) ask of donations (served by {@code DonationVerticle}). */
@BusContract(domain = "donation")
public interface Donations {

  /** Starts a donation: checks the pot takes it, scores the risk, opens a Wave checkout ({@code CONFLICT pot_not_accepting}, …). */
  Future<Checkout> create(DonationRequest request);

  /** A donation's state, as its donor's page polls it ({@code NOT_FOUND donation_not_found}). */
  Future<DonationStatus> get(UUID donationId);

  /** What a pot received: succeeded donations, their sum and distinct donors. */
  Future<PotDonationTotals> totals(UUID potId);

  /** A page of a pot's donors as the public sees them (anonymity, hidden amounts, messages as the pot allows). */
  Future<PublicDonorPage> publicList(UUID potId, String cursor, int limit, boolean showDonorNames, boolean enableMessages);

  /** Phones that already gave to a pot (its reminders skip them). */
  Future<DonorContacts> donorContacts(UUID potId);

  /** How to thank donations' donors (a burst's, in one read): their account, or the phone a guest left. */
  Future<DonationDonors> donorsOf(List<UUID> donationIds);
}
