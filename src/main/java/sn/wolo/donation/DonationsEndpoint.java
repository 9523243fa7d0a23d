package sn.wolo.donation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import sn.wolo.donation.api.Checkout;
import sn.wolo.donation.api.DonationDonors;
import sn.wolo.donation.api.DonationRequest;
import sn.wolo.donation.api.DonationStatus;
import sn.wolo.donation.api.Donations;
import sn.wolo.donation.api.DonorContact;
import sn.wolo.donation.api.DonorContacts;
import sn.wolo.donation.api.PotDonationTotals;
import sn.wolo.donation.api.PublicDonor;
import sn.wolo.donation.api.PublicDonorPage;
import sn.wolo.platform.bus.ContractJson;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Serves {@link Donations}: the service for a donation's life, the queries other domains need. */
record DonationsEndpoint(Pool pool, DonationService donations) implements Donations {

  private static final String TOTALS = """
      SELECT COALESCE(sum(amount_cfa), 0) AS raised, count(*) AS n,
             count(DISTINCT COALESCE(donor_user_id::text, donor_phone, id::text)) AS donors
      FROM donations.donations WHERE pot_id = $1 AND status = 'succeeded'""";
  private static final String PUBLIC_LIST = """
      SELECT donor_name, amount_cfa, donation_message, is_anonymous, show_amount, confirmed_at, md5(id::text) AS tiebreak
      FROM donations.donations WHERE pot_id = $1 AND status = 'succeeded'
        AND ($2::timestamptz IS NULL OR (confirmed_at, md5(id::text)) < ($2::timestamptz, $3::text))
      ORDER BY confirmed_at DESC, md5(id::text) DESC LIMIT $4""";
  private static final String DONOR_CONTACTS =
      "SELECT DISTINCT donor_phone FROM donations.donations WHERE pot_id = $1 AND status = 'succeeded' AND donor_phone IS NOT NULL";
  private static final String DONORS_OF = "SELECT id, donor_user_id, donor_phone FROM donations.donations WHERE id = ANY($1)";

  @Override
  public Future<Checkout> create(DonationRequest request) {
    return donations.create(ContractJson.toRequest(request)).map(created -> ContractJson.fromJson(created, Checkout.class));
  }

  @Override
  public Future<DonationStatus> get(UUID donationId) {
    return donations.get(donationId).map(json -> ContractJson.fromJson(json, DonationStatus.class));
  }

  @Override
  public Future<PotDonationTotals> totals(UUID potId) {
    return pool.preparedQuery(TOTALS).execute(Tuple.of(potId)).map(rows -> {
      Row r = rows.iterator().next();
      return new PotDonationTotals(r.getLong("raised"), r.getLong("n"), r.getLong("donors"));
    });
  }

  /** Anonymous (or names hidden by the pot) → "Anonyme"; a hidden amount is left out; messages only where the pot shows them. */
  @Override
  public Future<PublicDonorPage> publicList(UUID potId, String cursor, int limit, boolean showDonorNames, boolean enableMessages) {
    int pageSize = Math.max(1, Math.min(limit == 0 ? 20 : limit, 100));
    PublicDonorCursor after = PublicDonorCursor.decode(cursor);
    return pool.preparedQuery(PUBLIC_LIST).execute(Tuple.of(potId, after == null ? null : after.at(), after == null ? null : after.tiebreak(),
        pageSize + 1)).map(rows -> {
      List<PublicDonor> donors = new ArrayList<>();
      PublicDonorCursor last = null;
      for (Row r : rows) {
        if (donors.size() == pageSize) break;
        last = new PublicDonorCursor(r.getOffsetDateTime("confirmed_at"), r.getString("tiebreak"));
        boolean hidden = !showDonorNames || r.getBoolean("is_anonymous") || r.getString("donor_name") == null;
        donors.add(new PublicDonor(hidden ? "Anonyme" : r.getString("donor_name"),
            r.getBoolean("show_amount") ? Long.valueOf(r.getInteger("amount_cfa")) : null,
            enableMessages ? r.getString("donation_message") : null,
            r.getOffsetDateTime("confirmed_at") == null ? null : r.getOffsetDateTime("confirmed_at").toInstant()));
      }
      return new PublicDonorPage(donors, rows.size() > pageSize && last != null ? last.encode() : null);
    });
  }

  @Override
  public Future<DonorContacts> donorContacts(UUID potId) {
    return pool.preparedQuery(DONOR_CONTACTS).execute(Tuple.of(potId)).map(rows -> {
      List<String> contacts = new ArrayList<>();
      rows.forEach(r -> contacts.add(r.getString("donor_phone")));
      return new DonorContacts(contacts);
    });
  }

  @Override
  public Future<DonationDonors> donorsOf(List<UUID> donationIds) {
    return pool.preparedQuery(DONORS_OF).execute(Tuple.of((Object) donationIds.toArray(UUID[]::new))).map(rows -> {
      List<DonorContact> donors = new ArrayList<>();
      rows.forEach(r -> donors.add(new DonorContact(r.getUUID("id"), r.getUUID("donor_user_id"), r.getString("donor_phone"))));
      return new DonationDonors(donors);
    });
  }

}
