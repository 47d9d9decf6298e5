/**
 * `EquityPricingLoader`: EquityPricing columns from a bundle, as zipline's loader builds them.
 * Row `t` (pipeline day D) holds the raw bar of the session before D; adjustments effective on
 * or before D multiply every earlier bar (prices by the ratio, volumes by its inverse for
 * splits) once a window reaches D — so each day's windows are adjusted as of that day.
 */
import { DAY_MS } from "../../../calendars/days.ts";
import { lowerBound } from "../../../calendars/precomputed.ts";
import type { Adjustment, BarField, DailyBarSource } from "../../../bundles/mod.ts";
import type { LoadRequest, PipelineLoader } from "../loader.ts";
import { AdjustedArray, makeAdjustments } from "../window.ts";

const FIELDS = new Set(["open", "high", "low", "close", "volume"]);

/** Loads OHLCV pipeline columns from a bundle's daily bars. */
export class EquityPricingLoader implements PipelineLoader {
  #adjustments?: Promise<Adjustment[]>;

  constructor(private readonly source: DailyBarSource) {}

  async load(req: LoadRequest): Promise<AdjustedArray[]> {
    const { columns, dates, sessions, sids } = req;
    const R = dates.length, N = sids.length;
    const fields = columns.map((c) => {
      if (!FIELDS.has(c.name)) throw new Error(`EquityPricingLoader cannot load ${c}`);
      return c.name as BarField;
    });
    // The session before each pipeline day.
    const first = lowerBound(sessions, dates[0]);
    const dataStart = first > 0 ? sessions[first - 1] : NaN;
    const last = lowerBound(sessions, dates[R - 1]);
    const dataEnd = sessions[last - 1];
    const out = fields.map((f) => new Float64Array(R * N).fill(f === "volume" ? 0 : NaN));
    if (dataEnd !== undefined && N > 0) {
      const from = Number.isNaN(dataStart) ? sessions[0] : dataStart;
      const bars = await this.source.loadDaily(Array.from(sids), from, dataEnd, [
        ...new Set(fields),
      ]);
      const n = bars.sessions.length;
      for (let t = 0; t < R; t++) {
        const i = lowerBound(sessions, dates[t]);
        if (i <= 0) continue;
        const s = lowerBound(bars.sessions, sessions[i - 1]);
        if (s >= n || bars.sessions[s] !== sessions[i - 1]) continue;
        fields.forEach((f, k) => {
          const src = bars.fields[f]!, dst = out[k];
          for (let a = 0; a < N; a++) dst[t * N + a] = src[a * n + s];
        });
      }
    }
    const adjustments = await (this.#adjustments ??= this.source.adjustments());
    const colOf = new Map<number, number>();
    sids.forEach((sid, j) => colOf.set(sid, j));
    const price: { row: number; col: number; ratio: number }[] = [];
    const volume: { row: number; col: number; ratio: number }[] = [];
    const lo = Number.isNaN(dataStart) ? -Infinity : dataStart, hi = dates[R - 1];
    for (const a of adjustments) {
      const col = colOf.get(a.sid), when = a.day * DAY_MS;
      if (col === undefined || !(when > lo && when <= hi)) continue;
      // Rows up to the first pipeline day on or after the effective date hold earlier bars.
      const row = lowerBound(dates, when);
      price.push({ row, col, ratio: a.ratio });
      if (a.kind === "split") volume.push({ row, col, ratio: 1 / a.ratio });
    }
    const priceAdj = price.length ? makeAdjustments(price) : null;
    const volumeAdj = volume.length ? makeAdjustments(volume) : null;
    return fields.map((f, k) =>
      new AdjustedArray(out[k], R, N, f === "volume" ? volumeAdj : priceAdj)
    );
  }
}
