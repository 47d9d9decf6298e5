/**
 * `--broker alpaca`: the `Broker` contract on Alpaca's paper or live account. Orders go out over
 * REST with our client order id; what happens to them arrives on the `trade_updates` stream and
 * leaves as broker events. An order POST that fails without a clear answer is never sent again
 * before Alpaca is asked, by client order id, whether it arrived. After every stream reconnect,
 * fills (account activities) and order states (REST) are re-read, so nothing missed while the
 * stream was down is lost.
 */
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
import { isOpen } from "../../orders/state.ts";
import { BarFeed } from "./bars.ts";
import type { AlpacaConfig, MinuteFilter } from "./config.ts";
import { AlpacaAuthError } from "./errors.ts";
import {
  fillFromActivity,
  ms,
  nextReplacementId,
  num,
  priceText,
  stateOf,
  toBrokerOrder,
} from "./mapping.ts";
import { checkMarketHours, isSessionCalendar, MarketHours, nyDate } from "./market_hours.ts";
import { OrderTracker } from "./order_tracker.ts";
import { type AlpacaOrder, AlpacaRest, isRetryable, messageOf } from "./rest.ts";
import { currentOrder, unknownOrder } from "./lookup.ts";
import { findReversal, sendOpening, tryReversal } from "./reversing.ts";
import { legOf, type Split } from "./reversal.ts";
import type { StreamListener, StreamOptions } from "./socket.ts";
import { TradeUpdatesStream } from "./streams.ts";
import { type SubmitContext, submitOrder } from "./submission.ts";

/** How far before a stream loss fills are re-read after reconnecting (clock skew, in-flight). */
const RESYNC_MARGIN_MS = 5 * 60_000;

export interface AlpacaBrokerDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  calendar: MinuteFilter | null;
}

export class AlpacaBroker implements Broker {
  readonly name = "alpaca";
  private listener: (e: BrokerEvent) => void = () => {};
  private readonly rest: AlpacaRest;
  private readonly tracker: OrderTracker;
  private readonly trades: TradeUpdatesStream;
  private readonly bars: BarFeed;
  private skew = 0;
  private refusal: string | null = null;
  /** Our calendar corrected by Alpaca's published hours (null: bars are not filtered). */
  private readonly hours: MarketHours | null;
  private lostAt = NaN;

  constructor(readonly config: AlpacaConfig, private readonly deps: AlpacaBrokerDeps) {
    const emit = (e: BrokerEvent) => this.listener(e);
    this.rest = new AlpacaRest(config, deps);
    this.tracker = new OrderTracker(emit, deps.now, (split) => this.open(split));
    const owner: StreamListener = {
      status: (status, detail) => {
        if (status === "disconnected" && detail.startsWith("trade_updates")) {
          this.lostAt = deps.now();
        }
        emit({ type: "connection", status, detail, time: deps.now() });
      },
      error: (message, code) => {
        if (code === "unauthorized") this.refusal = message;
        emit({ type: "error", message, code, time: deps.now() });
      },
    };
    const stream = (url: string): StreamOptions => ({
      url,
      keyId: config.keyId,
      secret: config.secret,
      paper: config.paper,
      sleep: deps.sleep,
      random: deps.random,
      reconnect: config.reconnect,
      heartbeatMs: config.heartbeatMs,
      handshakeTimeoutMs: config.handshakeTimeoutMs,
    });
    this.trades = new TradeUpdatesStream(
      stream(config.streamUrl),
      owner,
      (data) => this.tracker.onTradeUpdate(data),
      () => this.resync(),
    );
    this.hours = isSessionCalendar(deps.calendar) ? new MarketHours(deps.calendar) : null;
    this.bars = new BarFeed(this.rest, stream(config.dataStreamUrl), {
      pollMs: config.pollMs,
      calendar: this.hours ?? deps.calendar,
      sleep: deps.sleep,
    }, owner);
  }

  /** Whether this is the paper account. */
  get paper(): boolean {
    return this.config.paper;
  }

  onEvent(listener: (event: BrokerEvent) => void): void {
    this.listener = listener;
  }

  /**
   * Checks the keys and the account over REST, measures the clock skew, and opens the
   * `trade_updates` stream. Refused keys throw `AlpacaAuthError`; a stream that cannot be
   * reached yet keeps reconnecting in the background (see `health()`).
   */
  /** Heartbeat answers received on the trade stream (liveness, for monitoring and tests). */
  get tradeStreamPongs(): number {
    return this.trades.pongs;
  }

  async connect(): Promise<void> {
    const t0 = this.deps.now();
    const clock = await this.rest.clock();
    const t1 = this.deps.now();
    const server = ms(clock.timestamp);
    this.skew = Number.isFinite(server) ? Math.round(server - (t0 + t1) / 2) : 0;
    const account = await this.rest.account();
    if (account.tradingBlocked || account.accountBlocked || account.tradeSuspendedByUser) {
      this.listener({
        type: "error",
        message: `the Alpaca account ${account.accountNumber ?? ""} cannot trade (blocked)`,
        code: "trading_blocked",
        time: t1,
      });
    }
    if (this.hours) {
      const day = nyDate((Number.isFinite(server) ? server : t1) + 1);
      await checkMarketHours(
        this.hours,
        day,
        (from, to) => this.rest.calendar(from, to),
        (e) => this.listener({ ...e, type: "error", time: this.deps.now() }),
      );
    }
    try {
      await this.trades.start();
    } catch (e) {
      if (e instanceof AlpacaAuthError) throw e;
    }
    this.listener({
      type: "connection",
      status: this.trades.connected ? "connected" : "disconnected",
      detail: `alpaca ${this.config.paper ? "paper" : "LIVE"} ${this.health().detail}`,
      time: this.deps.now(),
    });
    this.listener({ type: "account", account: accountOf(account), time: this.deps.now() });
  }

  disconnect(): Promise<void> {
    this.trades.stop();
    this.bars.stop();
    return Promise.resolve();
  }

  health(): BrokerHealth {
    if (this.refusal) return { connected: false, detail: this.refusal };
    const parts = [`trade_updates ${this.trades.connected ? "up" : "down (reconnecting)"}`];
    if (this.bars.stream.running || this.bars.polled > 0) {
      parts.push(`market data ${this.bars.streaming ? "streaming" : "on the REST fallback"}`);
    }
    return { connected: this.trades.connected, detail: parts.join("; ") };
  }

  timeSkewMs(): number {
    return this.skew;
  }

  /**
   * Sends an order; its acknowledgement, fills or rejection arrive as events. Never sent twice:
   * see `submission.ts`.
   */
  submit(r: OrderRequest): Promise<void> {
    return submitOrder(this.submitting(), r);
  }

  private submitting(): SubmitContext {
    const c: SubmitContext = {
      rest: this.rest,
      tracker: this.tracker,
      attempts: this.config.retry.attempts,
      sleep: this.deps.sleep,
      now: this.deps.now,
      emit: (e) => this.listener(e),
      refused: (message) => (this.refusal = message),
      reverse: (r) => tryReversal(c, r),
    };
    return c;
  }

  /** A reversal's closing order filled: its opening order goes out (reversal.ts). */
  private open(split: Split): void {
    sendOpening(this.submitting(), split, (id) => this.rest.cancelOrder(id)).catch((e) =>
      this.listener({
        type: "error",
        message: `the opening order of reversal ${split.request.client_order_id} failed: ` +
          messageOf(e),
        code: "reversal",
        client_order_id: split.request.client_order_id,
        time: this.deps.now(),
      })
    );
  }

  /** Asks for a cancel; the outcome (canceled, or filled first) arrives as events. */
  async cancel(coid: string): Promise<void> {
    this.tracker.cancelRequested(coid);
    const split = this.tracker.reversals.get(coid);
    if (split && !this.tracker.reversals.liveId(split)) {
      // Between a reversal's two orders: the opening one is not sent (or is canceled once sent).
      return this.tracker.reconsider(coid);
    }
    try {
      const id = this.tracker.alpacaIdOf(coid) ??
        (await currentOrder(this.rest, this.tracker, coid))?.id;
      if (!id) {
        this.tracker.order(
          coid,
          "canceled",
          unknownOrder(coid),
          this.deps.now(),
          "unknown to Alpaca",
        );
        return;
      }
      await this.rest.cancelOrder(id);
    } catch (e) {
      // Not cancelable (filled or canceled meanwhile) or unknown: Alpaca's view decides.
      if (split) {
        const b = await this.order(coid).catch(() => null);
        if (b && isOpen(b.state) && b.state !== "PENDING_CANCEL") {
          this.tracker.order(coid, "cancel_reject", b, this.deps.now(), messageOf(e));
        }
        return this.tracker.reconsider(coid);
      }
      const o = await currentOrder(this.rest, this.tracker, coid).catch(() => null);
      if (o) this.tracker.sync(o);
      if (!o || (isOpen(stateOf(o)) && o.status !== "pending_cancel")) {
        const view = o ? toBrokerOrder(o, coid) : unknownOrder(coid);
        this.tracker.order(coid, "cancel_reject", view, this.deps.now(), messageOf(e));
      }
    }
  }

  /**
   * Replaces an open order's quantity, limit or stop price. Alpaca gives the replacement a new
   * order id; it stays ours under `<client order id>.r<n>`. Refusals arrive as `error` events.
   */
  async replace(
    coid: string,
    changes: { limit_price?: number; stop_price?: number; amount?: number },
  ): Promise<void> {
    const error = (message: string, code: string) =>
      this.listener({ type: "error", message, code, client_order_id: coid, time: this.deps.now() });
    if (this.tracker.reversals.get(coid)) {
      return error(
        `order ${coid} is a reversal sent as two orders: cancel it and order again`,
        "replace",
      );
    }
    const o = await currentOrder(this.rest, this.tracker, coid);
    if (!o || !isOpen(stateOf(o))) return error(`order ${coid} is not open at Alpaca`, "replace");
    const side = String(o.side).startsWith("sell") ? -1 : 1;
    if (changes.amount !== undefined && Math.sign(changes.amount) !== side) {
      return error(`a replace cannot change order ${coid}'s side`, "replace");
    }
    const name = nextReplacementId(o.clientOrderId ?? coid);
    const patch = {
      clientOrderId: name,
      qty: changes.amount !== undefined ? String(Math.abs(changes.amount)) : undefined,
      limitPrice: changes.limit_price !== undefined ? priceText(changes.limit_price) : undefined,
      stopPrice: changes.stop_price !== undefined ? priceText(changes.stop_price) : undefined,
    };
    try {
      this.tracker.sync(await this.rest.replaceOrder(o.id!, patch));
    } catch (e) {
      const arrived = isRetryable(e)
        ? await this.rest.orderByClientId(name).catch(() => null)
        : null;
      if (arrived) return this.tracker.sync(arrived);
      error(`Alpaca refused to replace order ${coid}: ${messageOf(e)}`, "replace_rejected");
    }
  }

  async openOrders(): Promise<BrokerOrder[]> {
    return await this.viewsOf(await this.rest.openOrders());
  }

  async ordersSince(sinceMs: number): Promise<BrokerOrder[]> {
    return await this.viewsOf(await this.rest.listOrders("all", new Date(sinceMs).toISOString()));
  }

  /** Orders as the contract shows them, a reversal's two legs as the one order placed. */
  private async viewsOf(list: AlpacaOrder[]): Promise<BrokerOrder[]> {
    const out = new Map<string, BrokerOrder>();
    const whole = new Set<string>();
    for (const o of list) { // oldest first: a replacement comes after the order it replaced
      const b = this.tracker.observe(o), coid = b.client_order_id;
      if (whole.has(coid)) continue;
      // A reversal's leg after a restart: both legs make the order the strategy placed.
      if (legOf(o.clientOrderId) && !this.tracker.reversals.get(coid)) {
        whole.add(coid);
        out.set(coid, (await this.order(coid)) ?? b);
      } else out.set(coid, b);
    }
    return [...out.values()];
  }

  async order(coid: string): Promise<BrokerOrder | null> {
    const split = this.tracker.reversals.get(coid);
    const o = split ? null : await currentOrder(this.rest, this.tracker, coid);
    if (o) return this.tracker.observe(o);
    return await findReversal(this.rest, this.tracker, coid);
  }

  async positions(): Promise<BrokerPosition[]> {
    return (await this.rest.positions()).map((p) => ({
      symbol: p.symbol,
      amount: (p.side === "short" ? -1 : 1) * Math.abs(num(p.qty)),
      avg_cost: num(p.avgEntryPrice),
    }));
  }

  async account(): Promise<BrokerAccount> {
    return accountOf(await this.rest.account());
  }

  /** Fills after `sinceMs` from the account activities (FILL), oldest first. */
  async executions(sinceMs: number): Promise<BrokerFill[]> {
    const out: BrokerFill[] = [];
    for (const a of await this.rest.fills(sinceMs)) {
      const id = a.orderId ?? "";
      let coid = this.tracker.clientIdOf(id);
      if (coid === undefined) {
        const o = id ? await this.rest.orderById(id) : null;
        coid = o ? this.tracker.learn(o) : id;
      }
      const f = fillFromActivity(a, coid);
      if (f.time > sinceMs) out.push(f);
    }
    return out;
  }

  subscribeBars(symbols: readonly string[], onBar: (bar: Bar) => void): Promise<void> {
    return this.bars.subscribe(symbols, onBar);
  }

  latestBars(symbols: readonly string[]): Promise<Map<string, Bar>> {
    return this.bars.latest(symbols);
  }

  /** After a reconnect: fills and order states missed while the stream was down. */
  private async resync(): Promise<void> {
    const since = (Number.isFinite(this.lostAt) ? this.lostAt : this.deps.now()) - RESYNC_MARGIN_MS;
    for (const f of await this.executions(since)) this.tracker.fill(f);
    const seen = new Set<string>();
    for (const o of await this.rest.openOrders()) {
      this.tracker.sync(o, true);
      seen.add(this.tracker.learn(o));
    }
    for (const coid of this.tracker.unsettled()) {
      if (seen.has(coid)) continue;
      const o = await currentOrder(this.rest, this.tracker, coid);
      if (o) this.tracker.sync(o, true);
    }
    this.lostAt = NaN;
    this.listener({ type: "account", account: await this.account(), time: this.deps.now() });
  }
}

function accountOf(a: { cash?: string; equity?: string; buyingPower?: string }): BrokerAccount {
  return { cash: num(a.cash), equity: num(a.equity), buying_power: num(a.buyingPower) };
}
