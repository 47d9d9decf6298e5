/**
 * zipline's price storage, as an ingest option. zipline's bcolz writers store OHLC as unsigned
 * integers of `price × 1000` rounded half to even (`data/bcolz_daily_bars.py` `to_ctable`:
 * `(raw_data[OHLC] * 1000).round().astype("uint32")`; `data/bcolz_minute_bars.py`
 * `convert_cols`, `OHLC_RATIO` 1000) and volumes as `astype("uint32")`, which truncates. Readers
 * multiply by `0.001` and read a stored 0 as a missing price (`BcolzDailyBarReader.get_value`,
 * `_equities.pyx` `_read_bcolz_data`). With `price_decimals: 3` the bundle stores exactly the
 * prices zipline reads back, so fills, adjustments and ratios computed from them are zipline's;
 * by default prices are kept at full precision.
 */
import { IngestError } from "../errors.ts";

/** The largest number of decimals accepted (10^9 × a price still fits a double's integers). */
export const MAX_PRICE_DECIMALS = 9;

/**
 * A `price_decimals` setting checked: a whole number from 0 to 9, or undefined (full
 * precision). `setting` names where it came from, for the error.
 *
 * @example
 * ```ts
 * priceDecimals(3, "--price-decimals"); // 3
 * priceDecimals(undefined, "price_decimals"); // undefined
 * ```
 */
export function priceDecimals(value: unknown, setting: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_PRICE_DECIMALS) {
    throw new IngestError(
      `${setting}: ${
        JSON.stringify(value)
      } is not a whole number from 0 to ${MAX_PRICE_DECIMALS} (3 stores prices as zipline does)`,
    );
  }
  return n;
}

/**
 * The SQL that stores a bar table's prices with `decimals` decimals and whole volumes, as
 * zipline's integer columns hold them: `round_even(p × 10^d) × (1 / 10^d)`, a 0 becoming NULL
 * (no price), and `trunc(volume)`. DuckDB's `round_even` on a double is numpy's `rint` of the
 * same product; the product back is a multiplication, as zipline's reader does it.
 *
 * @example
 * ```ts
 * await conn.run(quantizeSql("daily_bars", 3));
 * ```
 */
export function quantizeSql(table: "daily_bars" | "minute_bars", decimals: number): string {
  const scale = `${10 ** decimals}::DOUBLE`;
  const price = (c: string) =>
    `${c} = CASE WHEN round_even(${c} * ${scale}, 0) = 0 THEN NULL ` +
    `ELSE round_even(${c} * ${scale}, 0) * (1::DOUBLE / ${scale}) END`;
  return `UPDATE ${table} SET ${
    ["open", "high", "low", "close"].map(price).join(", ")
  }, volume = trunc(volume)`;
}
