/** The API: looking up assets (zipline's `symbol`, `symbols`, `sid`, `set_symbol_lookup_date`). */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import { apiGroup } from "./define.ts";
import { SymbolNotFound } from "./errors.ts";

export const assetsApi = apiGroup({
  /**
   * The asset trading under `symbol` (case-insensitive) as of the symbol lookup date (default:
   * the run's last session), in `country_code` when one is given (an ISO code such as "US"); a
   * `SymbolNotFound` error otherwise (`harvester assets BUNDLE` lists a bundle's symbols).
   *
   * @example
   * ```ts
   * context.aapl = await symbol("AAPL");
   * const bmw = await symbol("BMW", "DE");
   * ```
   */
  symbol(symbol: string, country_code?: string): Promise<Asset> {
    const asset = this.symbol(symbol);
    if (country_code != null && asset.country_code.toUpperCase() !== country_code.toUpperCase()) {
      const when = Number.isNaN(this.symbol_lookup_date)
        ? this.sessions[this.sessions.length - 1]
        : this.symbol_lookup_date;
      throw new SymbolNotFound(symbol.toUpperCase(), isoDate(when / DAY_MS), country_code);
    }
    return Promise.resolve(asset);
  },

  /**
   * Several assets by symbol, in order.
   *
   * @example
   * ```ts
   * const [aapl, msft] = await symbols("AAPL", "MSFT");
   * ```
   */
  symbols(...symbols: string[]): Promise<Asset[]> {
    return Promise.resolve(symbols.map((s) => this.symbol(s)));
  },

  /**
   * The asset with bundle security id `sid`; a `SidsNotFound` error otherwise.
   *
   * @example
   * ```ts
   * const first = await sid(0);
   * ```
   */
  sid(sid: number): Promise<Asset> {
    return Promise.resolve(this.sid(sid));
  },

  /**
   * The date `symbol()` resolves symbols as of (a symbol reused by another company later).
   *
   * @example
   * ```ts
   * set_symbol_lookup_date("2008-01-02");
   * ```
   */
  set_symbol_lookup_date(dt: string | number | Date): void {
    const ms = typeof dt === "number"
      ? dt
      : dt instanceof Date
      ? dt.getTime()
      : Date.parse(dt.length === 10 ? `${dt}T00:00:00Z` : dt);
    this.symbol_lookup_date = Math.floor(ms / DAY_MS) * DAY_MS;
  },
});
