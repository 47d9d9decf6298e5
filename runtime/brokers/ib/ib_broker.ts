/**
 * `--broker ib`: trading through TWS or IB Gateway with `@stoqey/ib`. Orders go out on one client
 * id with `orderRef` = our client order id (so they are re-attached after a restart); openOrder,
 * orderStatus, execDetails and commissionReport come back as order and fill events; market data
 * runs on a second client id. When the socket drops the adapter reconnects with backoff and
 * re-syncs orders, executions and the account; 1100/1101/1102 are followed the same way. What an
 * order became is asked of TWS (`resolver.ts`), never answered from the adapter's own book alone;
 * executions of other clients' orders are asked for periodically (`execution_poll.ts`).
 */
import { isOpen, TERMINAL } from "../../orders/state.ts";
import type {
  Bar,
  Broker,
  BrokerAccount,
  BrokerEvent,
  BrokerFill,
  BrokerHealth,
  BrokerOrder,
  BrokerPosition,
  OrderRequest,
} from "../broker.ts";
import type { IbSettings } from "./config.ts";
import { type ConnectionPolicy, IbConnection } from "./connection.ts";
import { ContractBook, type ContractOverride } from "./contracts.ts";
import { classifyCode, IbError } from "./errors.ts";
import { ExecutionPoll } from "./execution_poll.ts";
import { filterTime, twsDayStart } from "./executions.ts";
import { MarketData, type MinuteFilter } from "./market_data.ts";
import type { TrackedOrder } from "./order_book.ts";
import { OrderFlow } from "./order_flow.ts";
import { ibOrderOf, requestProblem } from "./orders.ts";
import { OrderResolver } from "./resolver.ts";
import { Snapshots } from "./snapshots.ts";

/** Everything an IbBroker needs (see `createIbBroker` for the defaults). */
export interface IbBrokerConfig {
  settings: IbSettings;
  overrides: ReadonlyMap<string, ContractOverride>;
  now(): number;
  sleep(ms: number): Promise<void>;
  policy: Omit<ConnectionPolicy, "sleep">;
  /** How long a fill waits for its commission before it is booked without it. */
  commissionTimeoutMs: number;
  /** How long an error about an order waits for an orderStatus before TWS is asked. */
  errorGraceMs: number;
  /** How often executions of other clients' orders are asked for (0: never). */
  executionsPollMs: number;
  /** Bars are kept on this calendar's trading minutes only (null keeps every bar). */
  calendar: MinuteFilter | null;
}

/** The IB adapter (build it with `createIbBroker`). */
export class IbBroker implements Broker {
  readonly name = "ib";
  private listener: (e: BrokerEvent) => void = () => {};
  private readonly main: IbConnection;
  private readonly md: IbConnection;
  private readonly contracts: ContractBook;
  private readonly snaps: Snapshots;
  private readonly flow: OrderFlow;
  private readonly resolver: OrderResolver;
  private readonly poll: ExecutionPoll;
  private readonly market: MarketData;
  private readonly clientId: number;
  private accountId: string | null = null;
  private skew = 0;
  private linkDown = false;
  private detail = "not connected";
  private connectedAt = NaN;

  constructor(private readonly c: IbBrokerConfig) {
    const policy: ConnectionPolicy = { ...c.policy, sleep: c.sleep };
    this.clientId = c.settings.orders.clientId;
    this.main = new IbConnection(c.settings.orders, policy, {
      lost: (d) => this.connection("disconnected", `${d}; reconnecting`),
      retryFailed: (n, e, next) => {
        if (n !== 1 && n % 10 !== 0) return;
        this.error(`reconnect attempt ${n} failed: ${e.message}; next in ${next} ms`, "reconnect");
      },
      restored: () => void this.resync("reconnected to TWS/IB Gateway"),
      gaveUp: (e) => this.connection("disconnected", `gave up reconnecting: ${e.message}`),
      message: (code, text, id) => this.onMessage(code, text, id),
    });
    this.md = new IbConnection(c.settings.marketData, policy, {
      lost: (d) => this.error(`market data: ${d}; reconnecting`, "market_data"),
      retryFailed: () => {},
      restored: () => this.market.resubscribe(),
      gaveUp: (e) => this.error(`market data: gave up reconnecting: ${e.message}`, "market_data"),
      message: (code, text, id) => {
        if (id > 0 && this.market.claim(id, code, text)) return;
        const kind = classifyCode(code);
        if (kind === "link_restored_data_lost") this.market.resubscribe();
        else if (kind === "error" || kind === "farm_broken") {
          this.error(`market data: ${text} (IB ${code})`, String(code));
        }
      },
    });
    this.contracts = new ContractBook(this.main, c.overrides);
    this.snaps = new Snapshots(this.main, this.contracts, () => this.accountId, c.now);
    this.flow = new OrderFlow(this.main, this.contracts, this.snaps, {
      clientId: this.clientId,
      now: c.now,
      sleep: c.sleep,
      commissionTimeoutMs: c.commissionTimeoutMs,
      errorGraceMs: c.errorGraceMs,
      emit: (e) => this.listener(e),
      error: (m, code, coid) => this.error(m, code, coid),
      silent: (t) => this.resolver.settle(t),
    });
    this.resolver = new OrderResolver({
      flow: this.flow,
      snaps: this.snaps,
      now: c.now,
      dayStart: () => this.dayStart(),
    });
    this.poll = new ExecutionPoll(
      c.executionsPollMs,
      () => this.flow.fills.syncFills(this.connectedAt),
      (e) => this.error(`executions check failed: ${e.message}`, "resync"),
    );
    this.market = new MarketData(this.md, this.contracts, {
      mode: c.settings.marketDataMode,
      delayed: c.settings.delayed,
      now: c.now,
      calendar: c.calendar,
      problem: (symbol, code, text) =>
        this.error(`market data for ${symbol}: ${text} (IB ${code})`, String(code)),
    });
  }

  private get book() {
    return this.flow.book;
  }

  /** A notice or error no request claimed: about an order, the connection, or nothing. */
  private onMessage(code: number, text: string, id: number): void {
    const kind = classifyCode(code);
    const t = id > 0 ? this.book.find({ orderId: id, clientId: this.clientId }) : undefined;
    if (t) return this.flow.orderMessage(t, kind, code, text);
    const what = `${text} (IB ${code})`;
    switch (kind) {
      case "link_lost":
        this.linkDown = true;
        return this.connection("disconnected", what);
      case "link_restored_data_lost":
      case "link_restored":
        this.linkDown = false;
        return void this.resync(what);
      case "farm_ok":
        return this.connection("connected", what);
      default:
        return this.error(what, String(code));
    }
  }

  private connection(status: "connected" | "disconnected" | "reconnected", detail: string): void {
    if (status !== "connected" || !this.linkDown) this.detail = detail;
    this.listener({ type: "connection", status, detail, time: this.c.now() });
  }

  private error(message: string, code: string, client_order_id?: string): void {
    this.listener({ type: "error", message, code, client_order_id, time: this.c.now() });
  }

  /** When TWS's day began (in TWS's clock: ours plus the skew). */
  private dayStart(): number {
    return twsDayStart(this.c.now() + this.skew) - this.skew;
  }

  /** After a reconnect: open orders, missed executions, finished orders, the account. */
  private async resync(reason: string): Promise<void> {
    try {
      const seen = new Set<TrackedOrder>();
      for (const k of await this.snaps.openOrders()) {
        const t = this.book.find(k);
        if (t) seen.add(t);
      }
      const missed = await this.flow.fills.syncFills(this.flow.since(this.connectedAt));
      const gone = [...this.book.byCoid.values()].filter((t) => isOpen(t.state) && !seen.has(t));
      if (gone.length) await this.resolver.finished(gone);
      const account = await this.snaps.accountSummary();
      this.listener({ type: "account", account, time: this.c.now() });
      this.connection(
        "reconnected",
        `${reason}; re-synced ${seen.size} open order(s), ${missed} missed fill(s)`,
      );
    } catch (e) {
      this.error(`re-sync after reconnect failed: ${(e as Error).message}`, "resync");
    }
  }

  // --- the Broker interface ---

  onEvent(listener: (e: BrokerEvent) => void): void {
    this.listener = listener;
  }

  async connect(): Promise<void> {
    await this.main.open();
    const accounts = await this.snaps.accounts();
    const wanted = this.c.settings.account;
    if (wanted && !accounts.includes(wanted)) {
      this.main.close();
      throw new IbError(
        `HARVESTER_IB_ACCOUNT ${wanted} is not an account of this login (${accounts.join(", ")})`,
      );
    }
    this.accountId = wanted ?? accounts[0] ?? null;
    this.connectedAt = this.c.now();
    try {
      this.skew = (await this.snaps.serverTime()) - Math.floor(this.c.now() / 1000) * 1000;
    } catch {
      this.skew = 0;
    }
    const { host, port, clientId } = this.c.settings.orders;
    this.poll.start();
    this.connection(
      "connected",
      `TWS/IB Gateway at ${host}:${port}, client id ${clientId}, server version ` +
        this.main.serverVersion,
    );
  }

  disconnect(): Promise<void> {
    this.poll.stop();
    this.market.stop();
    this.flow.fills.join.close(); // fills still waiting for commissions: left to reconciliation
    this.md.close();
    this.main.close();
    this.connection("disconnected", "closed by Harvester");
    return Promise.resolve();
  }

  health(): BrokerHealth {
    return { connected: this.main.up && !this.linkDown, detail: this.detail };
  }

  timeSkewMs(): number {
    return this.skew;
  }

  async submit(r: OrderRequest): Promise<void> {
    if (this.book.byCoid.has(r.client_order_id)) {
      return this.error(
        `order ${r.client_order_id} was already sent`,
        "duplicate",
        r.client_order_id,
      );
    }
    const t = this.book.add({
      coid: r.client_order_id,
      orderId: 0,
      clientId: this.clientId,
      permId: 0,
      symbol: r.symbol,
      amount: r.amount,
      limit: r.limit_price,
      stop: r.stop_price,
      tif: r.time_in_force,
      state: "SUBMITTED",
      ibStatus: "",
      ibFilled: 0,
      booked: 0,
      value: 0,
      baseline: false,
      submittedAt: this.c.now(),
      lastError: "",
      whyHeld: "",
      statusSeq: 0,
      pending: null,
    });
    const reject = (reason: string) => void this.book.advance(t, "rejected", reason);
    const problem = requestProblem(r);
    if (problem) return reject(problem);
    if (!this.main.up || this.linkDown) {
      return reject(
        `not sent: ${
          this.linkDown
            ? "TWS has no connection to IB (1100)"
            : "not connected to TWS/IB Gateway (504)"
        }`,
      );
    }
    try {
      const contract = await this.contracts.qualify(r.symbol);
      const ib = this.main.ib("placeOrder"), id = this.main.takeOrderId();
      this.book.index(t, { orderId: id, clientId: this.clientId });
      ib.placeOrder(id, contract, ibOrderOf(r, this.accountId));
    } catch (e) {
      reject(`not sent: ${(e as Error).message}`);
    }
  }

  cancel(coid: string): Promise<void> {
    const t = this.book.byCoid.get(coid);
    if (!t || TERMINAL.has(t.state)) return Promise.resolve();
    this.book.mirror(t, "cancel_request");
    if (t.clientId !== this.clientId || t.orderId <= 0) {
      this.book.advance(t, "cancel_reject", "placed by another client: cancel it there");
    } else if (!this.main.up) {
      this.book.advance(t, "cancel_reject", "not connected to TWS/IB Gateway (504): not sent");
    } else this.main.ib("cancelOrder").cancelOrder(t.orderId);
    return Promise.resolve();
  }

  /**
   * Modifies a working order of ours (IB: placeOrder again with its order id). The outcome
   * arrives as events; a modification TWS refuses arrives as an error event.
   */
  async replace(
    coid: string,
    changes: { limit_price?: number; stop_price?: number; amount?: number },
  ): Promise<void> {
    const t = this.book.byCoid.get(coid);
    if (!t || !isOpen(t.state) || t.clientId !== this.clientId || t.orderId <= 0) {
      return this.error(
        `order ${coid} cannot be modified (not a working order of ours)`,
        "replace",
        coid,
      );
    }
    const r: OrderRequest = {
      client_order_id: coid,
      symbol: t.symbol,
      amount: changes.amount ?? t.amount,
      limit_price: changes.limit_price ?? t.limit,
      stop_price: changes.stop_price ?? t.stop,
      time_in_force: t.tif,
    };
    const problem = requestProblem(r) ??
      (this.main.up ? null : "not connected to TWS/IB Gateway (504)");
    if (problem) return this.error(`order ${coid} not modified: ${problem}`, "replace", coid);
    try {
      const contract = await this.contracts.qualify(r.symbol);
      // The order's amounts change when TWS confirms (openOrder with the new values); a refusal
      // (104, 105…) leaves them, and the order, as they were (order_flow.ts).
      t.pending = { amount: r.amount, limit: r.limit_price, stop: r.stop_price };
      this.main.ib("placeOrder").placeOrder(t.orderId, contract, ibOrderOf(r, this.accountId));
    } catch (e) {
      t.pending = null;
      this.error(`order ${coid} not modified: ${(e as Error).message}`, "replace", coid);
    }
  }

  async openOrders(): Promise<BrokerOrder[]> {
    const out = new Map<string, BrokerOrder>();
    for (const k of await this.snaps.openOrders()) {
      const t = this.book.find(k);
      if (t && isOpen(t.state)) out.set(t.coid, this.book.view(t));
    }
    return [...out.values()];
  }

  /** What TWS says of one of our orders now (see `resolver.ts`); null when it has no record. */
  async order(coid: string): Promise<BrokerOrder | null> {
    const t = await this.resolver.lookup(coid);
    return t ? this.book.view(t) : null;
  }

  async ordersSince(sinceMs: number): Promise<BrokerOrder[]> {
    return (await this.resolver.since(sinceMs)).map((t) => this.book.view(t));
  }

  /**
   * The caller books these (never emitted again). Corrected executions come as their revisions
   * with reversals between them (see `FillFlow.replay`): a caller that dedups by exec id ends
   * with the latest revision alone. TWS keeps only the current day's executions for the API: a
   * request reaching further back gets an `executions_unavailable` error event saying from when
   * it could answer (positions then show what was missed).
   */
  executions(sinceMs: number): Promise<BrokerFill[]> {
    const from = this.dayStart();
    if (sinceMs < from) {
      this.error(
        `executions before ${filterTime(from)} UTC are not available from TWS (reqExecutions ` +
          `returns the current day's only); asked from ${filterTime(sinceMs)} UTC`,
        "executions_unavailable",
      );
    }
    return this.flow.fills.replay(sinceMs);
  }

  positions(): Promise<BrokerPosition[]> {
    return this.snaps.positions();
  }

  account(): Promise<BrokerAccount> {
    return this.snaps.accountSummary();
  }

  subscribeBars(symbols: readonly string[], onBar: (bar: Bar) => void): Promise<void> {
    return this.market.subscribe(symbols, onBar);
  }

  latestBars(symbols: readonly string[]): Promise<Map<string, Bar>> {
    return Promise.resolve(this.market.latest(symbols));
  }
}
