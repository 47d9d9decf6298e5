/**
 * Quantopian's `get_pricing` for research: daily bars of some symbols from an ingested bundle
 * (the shipped zipline-examples bundle is ingested on first use), adjusted for splits, mergers
 * and dividends as of the last day asked for, as a Frame indexed by session date (UTC ms).
 *
 * @module
 */
import {
  AdjustmentFactors,
  type DailyBarSource,
  ingest,
  NoIngestionError,
  openDaily,
} from "../../bundles/mod.ts";
import { DAY_MS } from "../../calendars/days.ts";
import { InvalidInputError } from "../errors.ts";
import { Frame } from "../frames/frame.ts";
import { HistoryPanel } from "../frames/history_panel.ts";

/** What `get_pricing` can return per asset and day. */
export type PricingField = "open" | "high" | "low" | "close" | "volume" | "price";

const FIELDS: readonly PricingField[] = ["open", "high", "low", "close", "volume", "price"];

/** Options of {@link get_pricing}. */
export interface PricingOptions {
  /** First and last day (`YYYY-MM-DD`, a Date or UTC ms). */
  start: string | number | Date;
  end: string | number | Date;
  /** One field (a Frame of symbols) or several. @default "price" */
  fields?: PricingField | PricingField[];
  /** Only `"daily"` bars for now. @default "daily" */
  frequency?: "daily";
  /** @default "zipline-examples" */
  bundle?: string;
  root?: string;
  environ?: Record<string, string | undefined>;
  /** Adjust prices as of this day instead of `end` (`false`: raw prices). */
  adjust?: boolean;
}

function dayOf(name: string, v: string | number | Date): number {
  const ms = typeof v === "number"
    ? v
    : v instanceof Date
    ? v.getTime()
    : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (!Number.isFinite(ms)) throw new InvalidInputError(name, v, "use YYYY-MM-DD, a Date or ms");
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Opens a bundle, ingesting the shipped examples on first use (as `run_algorithm` does). */
async function openBundle(opts: PricingOptions): Promise<DailyBarSource> {
  const name = opts.bundle ?? "zipline-examples";
  const where = { root: opts.root, environ: opts.environ };
  try {
    return await openDaily(name, where);
  } catch (e) {
    if (!(e instanceof NoIngestionError) || name !== "zipline-examples") throw e;
    await ingest(name, where);
    return await openDaily(name, where);
  }
}

/**
 * Daily prices and volumes: one field → a Frame of dates × symbols; one symbol (a string) and
 * several fields → a Frame of dates × fields; several of both → a HistoryPanel. `price` is the
 * close carried forward over missing days (zipline's `price`). Prices and volumes are adjusted
 * as of `end`, as Quantopian's `get_pricing` adjusted them.
 *
 * @example
 * ```ts
 * const prices = await get_pricing(["AAPL", "MSFT"], { start: "2014-01-02", end: "2014-12-31" });
 * prices.get("AAPL").pct_change();
 * const aapl = await get_pricing("AAPL", { start: "2014-01-02", end: "2014-01-31", fields: ["open", "close"] });
 * ```
 */
export async function get_pricing(
  symbols: string | string[],
  opts: PricingOptions & { fields?: PricingField },
): Promise<Frame<string, number>>;
export async function get_pricing(
  symbols: string,
  opts: PricingOptions & { fields: PricingField[] },
): Promise<Frame<string, number>>;
export async function get_pricing(
  symbols: string[],
  opts: PricingOptions & { fields: PricingField[] },
): Promise<HistoryPanel<string, string, number> | Frame<string, number>>;
export async function get_pricing(
  symbols: string | string[],
  opts: PricingOptions,
): Promise<Frame<string, number> | HistoryPanel<string, string, number>> {
  if ((opts.frequency ?? "daily") !== "daily") {
    throw new InvalidInputError("frequency", opts.frequency, 'get_pricing reads "daily" bars');
  }
  const fields = Array.isArray(opts.fields) ? opts.fields : [opts.fields ?? "price"];
  for (const f of fields) {
    if (!FIELDS.includes(f)) throw new InvalidInputError("fields", f, `use ${FIELDS.join(", ")}`);
  }
  const names = Array.isArray(symbols) ? symbols : [symbols];
  const start = dayOf("start", opts.start), end = dayOf("end", opts.end);
  if (end < start) throw new InvalidInputError("end", opts.end, "is before start");
  const source = await openBundle(opts);
  try {
    const sids = names.map((s) => {
      // The newest listing of a symbol (symbols are reused after delistings).
      const found = source.assets.filter((a) => a.symbol === s.toUpperCase())
        .sort((a, b) => b.end_date - a.end_date)[0];
      if (!found) {
        throw new InvalidInputError(
          "symbols",
          s,
          `no such symbol in bundle ${source.version.bundle}`,
        );
      }
      return found.sid;
    });
    const bars = await source.loadDaily(sids, start, end);
    const n = bars.sessions.length;
    const adjustments = opts.adjust === false ? [] : await source.adjustments(sids);
    const prices = new AdjustmentFactors(sids, adjustments, "price");
    const volumes = new AdjustmentFactors(sids, adjustments, "volume");
    const asOf = end / DAY_MS;
    const column = (field: PricingField, a: number): Float64Array => {
      const raw = bars.fields[field === "price" ? "close" : field]!.subarray(a * n, (a + 1) * n);
      const factors = field === "volume" ? volumes : prices;
      const out = new Float64Array(n);
      let last = NaN;
      for (let t = 0; t < n; t++) {
        const f = factors.has(a) ? factors.factor(a, bars.sessions[t] / DAY_MS, asOf) : 1;
        let v = raw[t] * f;
        if (field === "price") v = v === v ? (last = v) : last;
        out[t] = v;
      }
      return out;
    };
    const index = Float64Array.from(bars.sessions);
    if (fields.length === 1) {
      return new Frame(names, names.map((_, a) => column(fields[0], a)), index);
    }
    if (!Array.isArray(symbols)) {
      return new Frame(
        [...fields],
        fields.map((f) => column(f, 0)),
        index,
      );
    }
    return new HistoryPanel<string, string, number>(
      [...fields],
      names,
      index,
      fields.map((f) => names.map((_, a) => column(f, a))),
    );
  } finally {
    source.close();
  }
}
