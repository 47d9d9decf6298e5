/**
 * Assets as strategies see them (zipline's `Equity`). Dates are UTC-midnight ms (NaN when
 * unknown). An asset is its sid: two objects with one sid are the same asset.
 */

/** A tradable instrument. */
export class Asset {
  /** Minimum price increment; limit and stop prices are rounded to it. */
  readonly tick_size: number = 0.01;
  /** Value of one unit per point of price (1 for equities). */
  readonly price_multiplier: number = 1;
  /** The data portal's row for this asset (internal: saves a lookup per bar). */
  portalSlot = -1;
  /** Internal: the last multi-asset history call that listed this asset (finds repeats). */
  historyMark = 0;

  constructor(
    readonly sid: number,
    readonly symbol: string,
    readonly asset_name: string,
    readonly exchange: string,
    readonly start_date: number,
    readonly end_date: number,
    readonly auto_close_date: number,
    readonly first_traded: number = NaN,
    readonly country_code: string = "US",
  ) {}

  /** Whether the asset trades in a session (start_date ≤ session ≤ end_date). */
  is_alive_for_session(session: number): boolean {
    return this.start_date <= session && session <= this.end_date;
  }

  #text?: string;

  /** `Equity(24 [AAPL])`, made once (a frame's column names are its assets' texts). */
  toString(): string {
    return this.#text ??= `Equity(${this.sid} [${this.symbol}])`;
  }

  /** Lets `Number(asset)` and sorting by sid work, as `int(asset)` does in zipline. */
  valueOf(): number {
    return this.sid;
  }

  toJSON(): { sid: number; symbol: string } {
    return { sid: this.sid, symbol: this.symbol };
  }
}

/** zipline's name for stock assets. */
export class Equity extends Asset {}
