package sn.wolo.referral;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * What an erased account leaves in referrals ({@code identity.user_erased}, in the points consumer's
 * transaction): as an invitee, the contact details its sponsor typed (phone, e-mail, name) are
 * cleared from its referral; as a sponsor, its pending invitations are withdrawn (deleted, their
 * delivery consumer then finds nothing to send), the contacts of its finished ones cleared, and its
 * uploaded contact batches emptied. Points and amounts stay (the ledger is financial history).
 * Invitations that other sponsors typed with the person's phone or e-mail, though the person never
 * signed up through them, lose those details too ({@link #eraseContacts}).
 */
final class ReferralErasure {

  private ReferralErasure() {
  }

  static Future<Void> erase(SqlConnection tx, UUID user) {
    Tuple id = Tuple.of(user);
    return tx.preparedQuery("UPDATE referrals.referrals SET invited_phone = NULL, invited_email = NULL, invited_name = NULL, "
            + "invitation_message = NULL WHERE sponsored_user_id = $1").execute(id)
        .compose(v -> tx.preparedQuery("DELETE FROM referrals.referrals WHERE sponsor_user_id = $1 AND status = 'sent' "
            + "AND NOT EXISTS (SELECT 1 FROM referrals.points_ledger l WHERE l.referral_id = referrals.id)").execute(id))
        .compose(v -> tx.preparedQuery("UPDATE referrals.referrals SET invited_phone = NULL, invited_email = NULL, invited_name = NULL, "
            + "invitation_message = NULL, status = CASE WHEN status = 'sent' THEN 'expired' ELSE status END WHERE sponsor_user_id = $1").execute(id))
        .compose(v -> tx.preparedQuery("UPDATE referrals.sponsor_contact_batches SET contact_snapshot = NULL, manual_selections = NULL "
            + "WHERE sponsor_user_id = $1").execute(id))
        .mapEmpty();
  }

  /** Invitations addressed to this phone or e-mail (found through identity's kept identifiers). */
  static Future<Void> eraseContacts(SqlClient db, String phone, String email) {
    return db.preparedQuery("UPDATE referrals.referrals SET invited_phone = NULL, invited_email = NULL, invited_name = NULL, "
        + "invitation_message = NULL WHERE invited_phone = $1 OR invited_email = $2").execute(Tuple.of(phone, email)).mapEmpty();
  }
}
