-- Every message the product sends, in French (fr-SN). Mustache variables, all declared in
-- `variables` (a test renders each template with them; a missing one is an error at render time).
-- Changing a text later means an UPDATE that bumps `version`.
INSERT INTO notifications.notification_templates (template_key, name, subject, body_text, body_html, channels, variables) VALUES
  ('referral_invitation', 'Invitation de parrainage', '{{sponsor_name}} vous invite sur WOLO',
   '{{sponsor_name}} vous invite sur WOLO, la cagnotte d''anniversaire. Inscrivez-vous avec le code {{referral_code}} : {{link}}',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"sponsor_name": "string", "referral_code": "string", "link": "string"}'),
  ('referral_accepted', 'Parrainage accepté', '{{invitee_name}} a rejoint WOLO',
   'Bonne nouvelle : {{invitee_name}} a rejoint WOLO grâce à vous. {{points}} points vous attendent.',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"invitee_name": "string", "points": "number"}'),
  ('pot_opened', 'Cagnotte ouverte (J-30)', 'Votre cagnotte WOLO est ouverte !',
   'Votre cagnotte « {{pot_title}} » est ouverte ! Votre anniversaire est le {{birthday}}. Partagez-la avec vos proches : {{link}}',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"pot_title": "string", "birthday": "string", "link": "string"}'),
  ('pot_reminder_j7', 'Rappel J-7', 'Plus que 7 jours pour l''anniversaire de {{owner_name}}',
   'Plus que 7 jours avant l''anniversaire de {{owner_name}} ! Participez à sa cagnotte « {{pot_title}} » : {{link}}',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"owner_name": "string", "pot_title": "string", "link": "string"}'),
  ('pot_reminder_j1', 'Rappel J-1', 'C''est demain : l''anniversaire de {{owner_name}}',
   'C''est demain l''anniversaire de {{owner_name}} ! Dernière chance de participer à « {{pot_title}} » : {{link}}',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"owner_name": "string", "pot_title": "string", "link": "string"}'),
  ('donation_received', 'Don reçu', 'Nouveau don pour votre cagnotte',
   '{{donor_name}} a participé à votre cagnotte « {{pot_title}} » : {{amount}} F CFA. Total : {{raised}} F CFA.',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"donor_name": "string", "pot_title": "string", "amount": "number", "raised": "number"}'),
  ('donation_thank_you', 'Merci pour votre don', 'Merci pour votre participation',
   'Merci ! Votre don de {{amount}} F CFA pour la cagnotte de {{owner_name}} a bien été reçu.',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"amount": "number", "owner_name": "string"}'),
  ('pot_funded', 'Objectif atteint', 'Objectif atteint !',
   'Bravo ! Votre cagnotte « {{pot_title}} » a atteint son objectif de {{target}} F CFA.',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"pot_title": "string", "target": "number"}'),
  ('pot_closed', 'Cagnotte clôturée', 'Votre cagnotte est clôturée',
   'Joyeux anniversaire ! Votre cagnotte « {{pot_title}} » est clôturée avec {{raised}} F CFA. Choisissez votre cadeau dans l''application.',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"pot_title": "string", "raised": "number"}'),
  ('qr_issued', 'Code QR du cadeau', 'Votre cadeau {{pack_name}} est prêt',
   'Votre cadeau « {{pack_name}} » est prêt. Présentez ce code chez {{partner_name}} avant le {{expires}} : {{code}}',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"pack_name": "string", "partner_name": "string", "expires": "string", "code": "string"}'),
  ('refund_made', 'Remboursement effectué', 'Votre don a été remboursé',
   'Votre don de {{amount}} F CFA a été remboursé sur votre compte Wave. Motif : {{reason}}.',
   NULL, ARRAY['sms', 'whatsapp', 'email'], '{"amount": "number", "reason": "string"}');

-- Emails get an HTML body too.
UPDATE notifications.notification_templates
SET body_html = '<p>' || body_text || '</p><p style="color:#777">WOLO Sénégal — la cagnotte d''anniversaire</p>'
WHERE body_html IS NULL;

-- Digest of donations to a pot owner (notification_preferences.digest_frequency daily or weekly).
INSERT INTO notifications.notification_templates (template_key, name, subject, body_text, body_html, channels, variables) VALUES
  ('donation_digest', 'Résumé des dons', 'Vos nouveaux dons',
   'Vous avez reçu {{count}} don(s) pour un total de {{total}} F CFA depuis votre dernier résumé. Merci à vos proches !',
   '<p>Vous avez reçu {{count}} don(s) pour un total de {{total}} F CFA depuis votre dernier résumé.</p>',
   ARRAY['sms', 'whatsapp', 'email'], '{"count": "number", "total": "number"}');
