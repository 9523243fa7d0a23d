package sn.wolo.donation;

/**
 * A stored Wave webhook without personal data: the envelope and the session's money facts
 * (amount, statuses, references, times) are kept as evidence; the payer's mobile and anything
 * else are dropped. Used 90 days after receipt (retention) and at a payer's erasure.
 */
final class WebhookPayloads {

  /** SQL expression over {@code raw_payload}. */
  static final String STRIPPED = """
      jsonb_build_object('id', raw_payload -> 'id', 'type', raw_payload -> 'type', 'personal_data_removed', true,
        'data', jsonb_strip_nulls(jsonb_build_object(
          'id', raw_payload #> '{data,id}', 'amount', raw_payload #> '{data,amount}', 'currency', raw_payload #> '{data,currency}',
          'checkout_status', raw_payload #> '{data,checkout_status}', 'payment_status', raw_payload #> '{data,payment_status}',
          'client_reference', raw_payload #> '{data,client_reference}', 'transaction_id', raw_payload #> '{data,transaction_id}',
          'when_created', raw_payload #> '{data,when_created}', 'when_completed', raw_payload #> '{data,when_completed}')))""";

  private WebhookPayloads() {
  }
}
