/**
 * The tables of one bundle version. Bars are stored raw; adjustments (splits, mergers,
 * dividends) are applied when read, as of a date, exactly as zipline applies them.
 */

/** Bumped whenever a table changes shape; readers refuse other versions. */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE metadata (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE assets (
  sid INTEGER PRIMARY KEY,
  symbol VARCHAR NOT NULL,
  asset_name VARCHAR,
  exchange VARCHAR,
  country_code VARCHAR,
  start_date DATE,
  end_date DATE,
  first_traded DATE,
  auto_close_date DATE
);
CREATE TABLE daily_bars (
  sid INTEGER NOT NULL, date DATE NOT NULL,
  open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE
);
CREATE TABLE minute_bars (
  sid INTEGER NOT NULL, dt TIMESTAMP NOT NULL,
  open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE
);
CREATE TABLE splits (sid INTEGER NOT NULL, effective_date DATE NOT NULL, ratio DOUBLE NOT NULL);
CREATE TABLE mergers (sid INTEGER NOT NULL, effective_date DATE NOT NULL, ratio DOUBLE NOT NULL);
CREATE TABLE dividends (
  sid INTEGER NOT NULL, ex_date DATE NOT NULL, amount DOUBLE NOT NULL,
  record_date DATE, declared_date DATE, pay_date DATE,
  -- 1 - amount / close of the session before ex_date; NULL when it cannot be computed.
  ratio DOUBLE
);
CREATE TABLE stock_dividends (
  sid INTEGER NOT NULL, payment_sid INTEGER NOT NULL, ratio DOUBLE NOT NULL,
  ex_date DATE NOT NULL, record_date DATE, declared_date DATE, pay_date DATE
);
`;

/** What `metadata` holds. */
export interface BundleMetadata {
  bundle: string;
  calendar_name: string;
  /** First and last session (UTC-midnight ms); NaN when the bundle has no bars. */
  first_session: number;
  last_session: number;
  minutes_per_day: number;
  source: string;
  /** UTC ms of the ingestion. */
  created: number;
  schema_version: number;
  /** Decimals prices were stored with at ingest (zipline's 3); absent: full precision. */
  price_decimals?: number;
}
