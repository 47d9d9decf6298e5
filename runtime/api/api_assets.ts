/** The API: looking up assets (zipline's `symbol`, `symbols`, `sid`, `set_symbol_lookup_date`). */
import { DAY_MS } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import { apiGroup } from "./define.ts";

export const assetsApi = apiGroup({
  /**
   * The asset trading under `symbol` (case-insensitive) as of the symbol lookup date (default:
   * the run's last session); a `SymbolNotFound` error otherwise.
   *
   * @example
   * ```ts
   * context.aapl = await symbol("AAPL");
   * ```
   */
  symbol(symbol: string, _country_code?: string): Promise<Asset> {
    return Promise.resolve(this.symbol(symbol));
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
