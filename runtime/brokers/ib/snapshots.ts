/**
 * One-shot questions to TWS for reconciliation: open orders (reqAllOpenOrders, which includes
 * orders placed outside Harvester), completed orders, the day's executions, positions, the
 * account summary, the server's clock. Requests without an id of their own (positions, open and
 * completed orders) are asked one at a time.
 */
import { type Contract, EventName, type Execution, type Order } from "@stoqey/ib";
import type { BrokerAccount, BrokerPosition } from "../broker.ts";
import type { IbConnection } from "./connection.ts";
import type { ContractBook } from "./contracts.ts";
import { IbRequestError } from "./errors.ts";
import { type ExecRecord, execRecordOf, filterTime } from "./executions.ts";
import type { OrderKey } from "./order_book.ts";

/** The account summary tags asked for. */
export const SUMMARY_TAGS = [
  "NetLiquidation",
  "TotalCashValue",
  "BuyingPower",
  "AvailableFunds",
  "ExcessLiquidity",
  "GrossPositionValue",
  "EquityWithLoanValue",
] as const;

export class Snapshots {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly conn: IbConnection,
    private readonly contracts: ContractBook,
    private readonly account: () => string | null,
    private readonly now: () => number,
  ) {}

  private serial<T>(kind: string, run: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(kind) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(run);
    this.locks.set(kind, next);
    return next;
  }

  /** Every open order of the account (reqAllOpenOrders); returns how each was referred to. */
  openOrders(): Promise<OrderKey[]> {
    return this.serial("orders", () =>
      this.conn.request<OrderKey[]>("open orders", (s) => {
        const keys: OrderKey[] = [];
        s.on(EventName.openOrder, (orderId: number, _c: Contract, o: Order) => {
          keys.push({ orderRef: o.orderRef, orderId, clientId: o.clientId, permId: o.permId });
        });
        s.on(EventName.openOrderEnd, () => s.done(keys));
        s.ib.reqAllOpenOrders();
      }));
  }

  /** Orders finished today (reqCompletedOrders); the global handlers track them. */
  completedOrders(): Promise<OrderKey[]> {
    return this.serial("completed", () =>
      this.conn.request<OrderKey[]>("completed orders", (s) => {
        const keys: OrderKey[] = [];
        s.on(EventName.completedOrder, (_c: Contract, o: Order) => {
          keys.push({ orderRef: o.orderRef, permId: o.permId });
        });
        s.on(EventName.completedOrdersEnd, () => s.done(keys));
        s.ib.reqCompletedOrders(false);
      }));
  }

  /** Executions since a time (UTC ms), without their commissions. */
  executions(sinceMs: number): Promise<ExecRecord[]> {
    return this.conn.request<ExecRecord[]>("executions", (s) => {
      const out: ExecRecord[] = [];
      s.on(EventName.execDetails, (reqId: number, c: Contract, e: Execution) => {
        if (reqId === s.reqId) out.push(execRecordOf(e, this.contracts.symbolOf(c), this.now()));
      });
      s.on(EventName.execDetailsEnd, (reqId: number) => {
        if (reqId === s.reqId) s.done(out.filter((r) => r.time >= sinceMs));
      });
      s.ib.reqExecutions(s.reqId, {
        acctCode: this.account() ?? undefined,
        time: filterTime(sinceMs),
      });
    });
  }

  /** Positions of the account (zero positions left out). */
  positions(): Promise<BrokerPosition[]> {
    return this.serial("positions", async () => {
      const all = await this.conn.request<BrokerPosition[]>("positions", (s) => {
        const out: BrokerPosition[] = [];
        s.on(EventName.position, (acct: string, c: Contract, pos: number, avgCost: number) => {
          const mine = this.account();
          if ((mine && acct !== mine) || !pos) return;
          out.push({ symbol: this.contracts.symbolOf(c), amount: pos, avg_cost: avgCost ?? 0 });
        });
        s.on(EventName.positionEnd, () => s.done(out));
        s.ib.reqPositions();
      });
      if (this.conn.up) this.conn.ib("positions").cancelPositions();
      return all;
    });
  }

  /** Cash, net liquidation and buying power (reqAccountSummary). */
  async accountSummary(): Promise<BrokerAccount> {
    let reqId = 0;
    const values = await this.conn.request<Map<string, number>>("account summary", (s) => {
      reqId = s.reqId;
      const v = new Map<string, number>();
      let acct = this.account();
      s.on(EventName.accountSummary, (id: number, a: string, tag: string, value: string) => {
        if (id !== s.reqId) return;
        acct ??= a;
        if (a === acct) v.set(tag, Number(value));
      });
      s.on(EventName.accountSummaryEnd, (id: number) => id === s.reqId && s.done(v));
      s.ib.reqAccountSummary(s.reqId, "All", SUMMARY_TAGS.join(","));
    });
    if (this.conn.up) this.conn.ib("account summary").cancelAccountSummary(reqId);
    const need = (tag: string) => {
      const x = values.get(tag);
      if (x === undefined || Number.isNaN(x)) {
        throw new IbRequestError("account summary", 0, `TWS sent no ${tag}`);
      }
      return x;
    };
    return {
      cash: need("TotalCashValue"),
      equity: need("NetLiquidation"),
      buying_power: values.get("BuyingPower") ?? need("AvailableFunds"),
    };
  }

  /** TWS's clock (UTC ms, second resolution). */
  serverTime(): Promise<number> {
    return this.conn.request<number>("current time", (s) => {
      s.on(EventName.currentTime, (t: number) => s.done(t * 1000));
      s.ib.reqCurrentTime();
    });
  }

  /** The accounts this login manages (asked when TWS did not volunteer them). */
  accounts(): Promise<string[]> {
    if (this.conn.accounts.length) return Promise.resolve(this.conn.accounts);
    return this.conn.request<string[]>("managed accounts", (s) => {
      s.on(EventName.managedAccounts, (list: string) => s.done(list.split(",").filter(Boolean)));
      s.ib.reqManagedAccts();
    });
  }
}
