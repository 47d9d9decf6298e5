/**
 * `--broker paper` fed from outside: the simulated venue (zipline's fill models) matching its
 * resting orders against the bars it is given (`onBars`), as a venue sees the market — for
 * sessions whose feed is not the engine's own (a replayed minute journal, tests), where it stands
 * in for a real broker. A paper session replaying a bundle trades the engine's own venue instead
 * (engine/build.ts), reading the bundle's bars directly.
 */
import type { Asset } from "../../assets/asset.ts";
import type { BarField, MarketView } from "../../finance/market_view.ts";
import type { FillModels } from "../../finance/models.ts";
import { defaultEquityCommission } from "../../finance/commission.ts";
import { defaultEquitySlippage } from "../../finance/slippage.ts";
import type { Bar } from "../../model/bar.ts";
import { SimulatedBroker } from "../simulated/simulated_broker.ts";
import type { VenueStore } from "../simulated/venue_book.ts";

export interface PaperBrokerOptions {
  assetOf(symbol: string): Asset | undefined;
  cash: number;
  models?: FillModels;
  store?: VenueStore | null;
}

/** The latest bar per symbol, as the venue's market view. */
class FedBars implements MarketView {
  current_dt = NaN;
  readonly bars = new Map<string, Bar>();
  current(asset: Asset, field: BarField): number {
    const b = this.bars.get(asset.symbol);
    if (!b || b.time !== this.current_dt) {
      return field === "volume" ? 0 : field === "price" && b ? b.close : NaN;
    }
    return field === "price" ? b.close : b[field];
  }
}

export class PaperBroker extends SimulatedBroker {
  private readonly fed: FedBars;

  constructor(opts: PaperBrokerOptions) {
    const fed = new FedBars();
    super({
      market: fed,
      assetOf: opts.assetOf,
      models: opts.models ??
        { slippage: defaultEquitySlippage(), commission: defaultEquityCommission() },
      cash: opts.cash,
      name: "paper",
      store: opts.store,
    });
    this.fed = fed;
  }

  /** Bars from the feed: resting orders are matched against them. */
  onBars(time: number, bars: readonly Bar[]): void {
    this.fed.current_dt = time;
    for (const b of bars) this.fed.bars.set(b.symbol, b);
    this.onBar(time);
  }
}
