-- Erasure reaches invitations (issue 15): the person erased, whether sponsor or invitee, leaves no
-- phone, e-mail or name in referrals. FIX (spec 3.3): check_invitation_contact demanded a contact on
-- every row, which made anonymising an accepted or finished invitation impossible; a contact is now
-- required only while the invitation is pending.
ALTER TABLE referrals.referrals
    DROP CONSTRAINT check_invitation_contact,
    ADD CONSTRAINT check_invitation_contact CHECK (status <> 'sent' OR invited_phone IS NOT NULL OR invited_email IS NOT NULL);
