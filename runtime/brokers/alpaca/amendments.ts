/**
 * Busted and corrected trades. Alpaca sends `trade_bust` (a trade annulled; `reason`
 * "TRADE_BUST") and `trade_correct` (a trade's price or quantity changed) on `trade_updates`
 * (docs.alpaca.markets, "Trade updates": less common events; changelog 2026-08-12 for the
 * reason), each with the order as it stands after the change. What was booked for the order is
 * known (shares and value of its fills), so the difference to the order's new filled quantity and
 * average price is booked as fills: a bust as a fill of the busted shares the other way, a price
 * correction as the reversal of what was booked followed by the corrected fill — as the IB adapter
 * books execution corrections. The order's state does not move back (a FILLED order stays so).
 */

/** What the fills booked so far for one Alpaca order cover: absolute shares and their value. */
export interface Covered {
  qty: number;
  notional: number;
}

/** One amending fill: absolute shares (negative undoes), the price, and a suffix for its exec id. */
export interface Amendment {
  shares: number;
  price: number;
  tag: string;
}

const EPS = 1e-9;

/**
 * The fills that bring what was booked (`c`) to the order's new `filled` shares at `avg`.
 *
 * @example
 * amendmentsOf({ qty: 10, notional: 1850 }, 6, 185); // [{ shares: -4, price: 185, tag: "bust" }]
 * amendmentsOf({ qty: 10, notional: 1850 }, 10, 184.5);
 * // [{ shares: -10, price: 185, tag: "reversed" }, { shares: 10, price: 184.5, tag: "corrected" }]
 */
export function amendmentsOf(c: Covered, filled: number, avg: number): Amendment[] {
  const target = filled * avg;
  if (Math.abs(filled - c.qty) < EPS) {
    if (Math.abs(target - c.notional) < 1e-6 || c.qty < EPS) return [];
    return [
      { shares: -c.qty, price: c.notional / c.qty, tag: "reversed" },
      { shares: filled, price: avg, tag: "corrected" },
    ];
  }
  const delta = filled - c.qty;
  const price = (target - c.notional) / delta;
  return [{ shares: delta, price, tag: delta < 0 ? "bust" : "corrected" }];
}
