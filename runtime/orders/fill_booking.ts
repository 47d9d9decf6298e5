/**
 * How an execution reaches the ledger — the only way anything does: deduplicated by execution id
 * (a broker re-reports executions after a re-sync or a restart), booked as a transaction, added
 * to its order, with its commission. The simulated venue's commissions are booked after the
 * drain's fills, as zipline books a bar's commissions after its transactions; a real broker's
 * with their own execution.
 */
import type { Asset } from "../assets/asset.ts";
import type { Ledger } from "../finance/ledger.ts";
import type { BrokerFill } from "../model/broker.ts";
import type { AuditLog } from "./audit.ts";
import type { ManagedOrder } from "./order.ts";

/** One execution, as the order manager hands it over. */
export interface Execution {
  coid: string;
  venueId: string;
  exec: string;
  symbol: string;
  amount: number;
  price: number;
  commission: number;
  time: number;
}

export class FillBooking {
  /** Execution ids seen, with their fill times (deduplication of re-reported executions). */
  readonly execs = new Map<string, number>();
  private readonly commissionAssets: Asset[] = [];
  private readonly commissionCosts: number[] = [];

  constructor(
    private readonly ledger: Ledger,
    private readonly audit: AuditLog,
    /** The broker reports each execution once: no record of ids is kept. */
    private readonly reportsOnce: boolean,
    private readonly now: () => number,
    /** Commissions wait for `bookCommissions` (the simulated venue's bar), else go with their fill. */
    private readonly deferCommissions: boolean,
  ) {}

  /** Whether the execution is new (and from now on seen). */
  firstReport(exec: string, time: number): boolean {
    if (this.reportsOnce) return true;
    if (this.execs.has(exec)) return false;
    this.execs.set(exec, time);
    return true;
  }

  /**
   * Books an execution of `asset` for order `o` (none: another client's, or the venue's own
   * settlement). `f` is the broker's own object when it sent one (journaled as it came).
   */
  book(
    asset: Asset,
    o: ManagedOrder | undefined,
    coid: string,
    amount: number,
    price: number,
    commission: number,
    time: number,
    line: () => BrokerFill,
  ): void {
    this.ledger.process_transaction({
      asset,
      amount,
      dt: time,
      price,
      order_id: coid || null,
      order_seq: o ? o.tableSeq : -1,
    });
    if (commission) {
      if (this.deferCommissions) {
        this.commissionAssets.push(asset);
        this.commissionCosts.push(commission);
      } else this.ledger.process_commission(asset, commission);
    }
    if (o) {
      const prev = o.filled;
      o.filled += amount;
      o.commission += commission;
      o.dt = time;
      o.avg_fill_price = (o.avg_fill_price * prev + price * amount) / (o.filled || 1);
      o.last_event_at = this.now();
      if (o.quality) {
        o.quality.filled_at = time;
        o.quality.wall_fill = performance.now();
      }
      this.ledger.process_order(o);
    }
    if (this.audit.enabled) this.audit.write("fill", { ...line(), external: o?.external ?? true });
  }

  /** Books the commissions of the executions booked so far, after them. */
  bookCommissions(): void {
    const assets = this.commissionAssets;
    if (assets.length === 0) return;
    const costs = this.commissionCosts;
    for (let k = 0; k < assets.length; k++) this.ledger.process_commission(assets[k], costs[k]);
    assets.length = 0;
    costs.length = 0;
  }
}
