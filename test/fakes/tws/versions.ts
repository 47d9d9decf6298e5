/**
 * Server versions of the TWS API socket protocol that change a message the fake sends or reads, by
 * the names IB's own clients give them (`MIN_SERVER_VER_*` in EClient.java / server_versions.py;
 * the same numbers in `@stoqey/ib` 1.6.10's `min-server-version`), and the handshake's choice of a
 * version: TWS answers the highest version both it and the client speak, and closes a connection
 * whose range it cannot serve.
 */

/** Layout changes between 176 and 193 (what each adds is beside it). */
export const V = {
  /** TWS 10.19: bond issuer ids; the oldest layout the fake speaks. */
  BOND_ISSUERID: 176,
  /** openOrder/completedOrder/placeOrder drop the deprecated faProfile field. */
  FA_PROFILE_DESUPPORT: 177,
  /** execDetails ends with pendingPriceRevision. */
  PENDING_PRICE_REVISION: 178,
  /** contractDetails carries fund fields (FUND contracts only). */
  FUND_DATA_FIELDS: 179,
  /** contractDetails carries lastTradeDate after lastTradeDateOrContractMonth. */
  LAST_TRADE_DATE: 182,
  /** openOrder/completedOrder/placeOrder carry customerAccount. */
  CUSTOMER_ACCOUNT: 183,
  /** openOrder/completedOrder/placeOrder carry professionalCustomer. */
  PROFESSIONAL_CUSTOMER: 184,
  /** openOrder carries bondAccruedInterest. */
  BOND_ACCRUED_INTEREST: 185,
  /** contractDetails ends with the ineligibility reasons (a count, then id/description pairs). */
  INELIGIBILITY_REASONS: 186,
  /** placeOrder/cancelOrder carry three RFQ fields (removed again at 190). */
  RFQ_FIELDS: 187,
  /** openOrder/placeOrder carry includeOvernight. */
  INCLUDE_OVERNIGHT: 189,
  UNDO_RFQ_FIELDS: 190,
  /** permId is a long (no change in the text encoding). */
  PERM_ID_AS_LONG: 191,
  /** placeOrder ends with manualOrderIndicator; cancelOrder loses its version field and carries
   * extOperator and manualOrderIndicator. */
  CME_TAGGING_FIELDS: 192,
  /** openOrder ends with extOperator and manualOrderIndicator. */
  CME_TAGGING_FIELDS_IN_OPEN_ORDER: 193,
} as const;

/** The versions the fake can speak: 176 (TWS 10.19) up to 193 (what `@stoqey/ib` 1.6.10 offers). */
export const FAKE_TWS_MIN_VERSION = V.BOND_ISSUERID;
export const FAKE_TWS_MAX_VERSION = V.CME_TAGGING_FIELDS_IN_OPEN_ORDER;

/**
 * The version a TWS speaking up to `serverMax` answers a client offering `min..max` with: the
 * highest both speak, or null when the ranges do not meet (TWS then closes the connection).
 *
 * @example
 * negotiate(100, 193, 193); // 193 — a current TWS and @stoqey/ib 1.6.10
 * negotiate(100, 193, 176); // 176 — TWS 10.19
 */
export function negotiate(min: number, max: number, serverMax: number): number | null {
  const v = Math.min(max, serverMax);
  return v >= min && v >= FAKE_TWS_MIN_VERSION ? v : null;
}

/**
 * The server version a fake starts with unless told: `HARVESTER_FAKE_TWS_VERSION` (the test suite's
 * second run at 176 sets it), else 193.
 */
export function defaultServerVersion(env: Record<string, string | undefined>): number {
  const v = Number(env.HARVESTER_FAKE_TWS_VERSION ?? FAKE_TWS_MAX_VERSION);
  if (!Number.isInteger(v) || v < FAKE_TWS_MIN_VERSION || v > FAKE_TWS_MAX_VERSION) {
    throw new Error(
      `HARVESTER_FAKE_TWS_VERSION=${env.HARVESTER_FAKE_TWS_VERSION}: the fake speaks ` +
        `${FAKE_TWS_MIN_VERSION}..${FAKE_TWS_MAX_VERSION}`,
    );
  }
  return v;
}
