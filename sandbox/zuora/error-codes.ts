/**
 * The sandbox's catalogue of Zuora reason codes: a 6-digit resource code and a 2-digit category.
 * 500000xx is the generic resource; 900000xx are the auth/tenancy codes. Zuora documents the form
 * and the categories, not which code each failure gets, so these are our choices.
 */
export const ZuoraCode = {
  /** Entity header names an entity outside the token's scope. */
  entityOutsideScope: 90000010,
  /** Entity header malformed, or sent together with a legacy header. */
  entityHeaderMalformed: 90000020,
  /** Token covers several entities and no entity header was sent. */
  entityHeaderMissing: 90000023,
  /** Rate or concurrency limit. */
  limitExceeded: 90000070,
  /** Caller lacks the admin rights the operation needs. */
  notPermitted: 50000010,
  badValue: 50000020,
  unknownField: 50000021,
  missingField: 50000022,
  badQueryParameter: 50000027,
  stateConflict: 50000030,
  notFound: 50000040,
  unsupportedMethod: 50000045,
  /** The same Idempotency-Key is still being processed. */
  inFlight: 50000050,
  malformedJson: 50000090,
} as const;

export type ZuoraCode = (typeof ZuoraCode)[keyof typeof ZuoraCode];
