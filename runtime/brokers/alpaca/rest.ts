/**
 * Alpaca's REST endpoints through `@alpacahq/alpaca-trade-api` v4 (its generated `trading` and
 * `marketData` clients, with our base URLs). The SDK's own retry is off: reads are retried here
 * (429 honouring Retry-After, 5xx, network failures; `runtime/net/retry.ts`, injected sleep),
 * and an order POST is never retried at this level — the broker first asks Alpaca, by client
 * order id, whether it arrived.
 */
import { ApiError, FetchError, marketData, trading } from "@alpacahq/alpaca-trade-api";
import { RetriesExhausted, retryDelay, retrying } from "../../net/retry.ts";
import type { AlpacaConfig } from "./config.ts";
import { AlpacaAuthError, AlpacaRequestError } from "./errors.ts";

export type AlpacaOrder = trading.Order;
export type AlpacaActivity = trading.TradingActivities;
export type AlpacaOrderBody = trading.PostOrderRequest;
export type AlpacaOrderPatch = trading.PatchOrderRequest;

/** A minute bar as Alpaca sends it (REST and stream): `t` is the bar's start. */
export interface AlpacaBarJson {
  t: string | Date;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

export interface RestDeps {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Told before each retry (for the journal). */
  onRetry?: (what: string, attempt: number, delayMs: number, reason: string) => void;
}

/** The HTTP status of an SDK error, if it carries one. */
export function statusOf(e: unknown): number | undefined {
  return e instanceof ApiError ? e.status : undefined;
}

/** Alpaca's message for an SDK error, else the error's message. */
export function messageOf(e: unknown): string {
  if (e instanceof FetchError) return `network error: ${e.cause?.message ?? e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Whether the request may succeed if repeated: 408, 425, 429, 5xx, or no complete answer at all
 * (network failure, timeout, a connection reset mid-response). Only an HTTP error status with
 * Alpaca's error body is a definite answer.
 */
export function isRetryable(e: unknown): boolean {
  if (!(e instanceof ApiError)) return true;
  const s = e.status;
  return s === 408 || s === 425 || s === 429 || s >= 500;
}

/**
 * What a 403 refuses, when it is not the keys. Alpaca answers 403 for many account-level
 * restrictions (alpaca.markets/learn "How to fix common trading API errors": "many 403s are
 * account-level restrictions"), with code 40310000 for both money and shares:
 * - `buying_power`: "insufficient buying power";
 * - `insufficient_qty`: "insufficient qty available for order (requested: X, available: Y)" — a
 *   sell of more than is held and not already held for open orders, or an order crossing zero
 *   (alpacahq/Alpaca-API #90, alpaca-trade-api-python #129);
 * - `pattern_day_trading`: 40310100 "trade denied due to pattern day trading protection"
 *   (docs.alpaca.markets, User Protection);
 * - `plan`: "subscription does not permit …" (market data beyond the plan);
 * - `forbidden`: anything else ("account is not authorized to trade", "… not allowed to short").
 */
export type Refusal =
  | "buying_power"
  | "insufficient_qty"
  | "pattern_day_trading"
  | "plan"
  | "forbidden";

/** A 403's message when it means the keys themselves (Alpaca: 401 "request is not authorized"). */
const KEYS_REFUSED =
  /^(forbidden|unauthorized|request is not authorized|access key verification failed.*)\.?$/i;

/** What a 403 is about (undefined: not a 403, or one about the keys). */
export function refusalOf(e: unknown): Refusal | undefined {
  if (statusOf(e) !== 403) return undefined;
  const m = messageOf(e), code = e instanceof ApiError ? Number(e.code) : NaN;
  if (code === 40310100 || /pattern day trad/i.test(m)) return "pattern_day_trading";
  if (/insufficient qty|qty available/i.test(m)) return "insufficient_qty";
  if (/buying power/i.test(m)) return "buying_power";
  if (/subscription does not permit/i.test(m)) return "plan";
  return KEYS_REFUSED.test(m.trim()) ? undefined : "forbidden";
}

/**
 * The wait Alpaca asked for (ms): the SDK reads Retry-After (seconds or HTTP-date), else the
 * X-RateLimit-Reset time, into `retryAfterMs`; 0 (a reset already past) says nothing.
 */
function serverWait(e: unknown): number | undefined {
  const ms = e instanceof ApiError ? e.retryAfterMs : undefined;
  return ms !== undefined && ms > 0 ? ms : undefined;
}

/** A 403 that is about money, not keys. */
export function isBuyingPower(e: unknown): boolean {
  return refusalOf(e) === "buying_power";
}

/** A date the SDK writes into a query as `YYYY-MM-DD` (it calls toISOString). */
class DateOnly extends Date {
  override toISOString(): string {
    return super.toISOString().slice(0, 10);
  }
}

export class AlpacaRest {
  private readonly orders: trading.OrdersApi;
  private readonly accounts: trading.AccountsApi;
  private readonly positionsApi: trading.PositionsApi;
  private readonly activities: trading.AccountActivitiesApi;
  private readonly clockApi: trading.ClockApi;
  private readonly calendarApi: trading.CalendarApi;
  private readonly stocks: marketData.StockApi;

  constructor(private readonly cfg: AlpacaConfig, private readonly deps: RestDeps) {
    const common = {
      keyId: cfg.keyId,
      secret: cfg.secret,
      timeoutMs: cfg.timeoutMs,
      // Alpaca allows ~200 requests a minute per host: throttle before it says 429.
      rateLimit: { maxRequests: 200, intervalMs: 60_000 },
    };
    const t = new trading.Configuration({ ...common, basePath: cfg.tradingUrl });
    this.orders = new trading.OrdersApi(t);
    this.accounts = new trading.AccountsApi(t);
    this.positionsApi = new trading.PositionsApi(t);
    this.activities = new trading.AccountActivitiesApi(t);
    this.clockApi = new trading.ClockApi(t);
    this.calendarApi = new trading.CalendarApi(t);
    this.stocks = new marketData.StockApi(
      new marketData.Configuration({ ...common, basePath: cfg.dataUrl }),
    );
  }

  /** Delay before retry `attempt` (1-based): Retry-After when Alpaca gives one, else backoff. */
  delay(e: unknown, attempt: number): number {
    return retryDelay(attempt, this.cfg.retry, this.deps.random, serverWait(e));
  }

  /**
   * Turns an SDK failure into our error: keys refused (401, or a 403 that says nothing else), or
   * the request's facts (a 403 about the account, the plan or the order is not about the keys).
   */
  fail(what: string, e: unknown): Error {
    const s = statusOf(e);
    if (s === 401 || (s === 403 && refusalOf(e) === undefined)) {
      return new AlpacaAuthError(what, s, messageOf(e), this.cfg.paper);
    }
    const api = e instanceof ApiError ? e : undefined;
    return new AlpacaRequestError(what, s, api?.code, messageOf(e), api?.requestId, { cause: e });
  }

  /** Runs a request that is safe to repeat, retrying what may succeed on a second try. */
  async retrying<T>(what: string, call: () => Promise<T>): Promise<T> {
    const { sleep, random, onRetry } = this.deps;
    try {
      return await retrying(what, call, {
        ...this.cfg.retry,
        retryable: isRetryable,
        serverWait,
        sleep,
        random,
        onRetry: onRetry && ((r) => onRetry(what, r.attempt, r.delayMs, messageOf(r.error))),
      });
    } catch (e) {
      throw this.fail(what, e instanceof RetriesExhausted ? e.cause : e);
    }
  }

  /** `null` for 404, the value otherwise. */
  private async orNull<T>(what: string, call: () => Promise<T>): Promise<T | null> {
    try {
      return await this.retrying(what, call);
    } catch (e) {
      if (e instanceof AlpacaRequestError && e.status === 404) return null;
      throw e;
    }
  }

  account(): Promise<trading.Account> {
    return this.retrying("GET /v2/account", () => this.accounts.getAccount());
  }

  positions(): Promise<trading.Position[]> {
    return this.retrying("GET /v2/positions", () => this.positionsApi.getAllOpenPositions());
  }

  /** The position in one symbol (qty signed by side, qty_available); null when flat (404). */
  position(symbol: string): Promise<trading.Position | null> {
    return this.orNull(
      "GET /v2/positions/{symbol}",
      () => this.positionsApi.getOpenPosition({ symbolOrAssetId: symbol }),
    );
  }

  /**
   * Alpaca's market calendar from `start` to `end` (its trading days, with open and close in New
   * York "HH:MM"). Asked with plain dates, as docs.alpaca.markets "Calendar" documents `start` and
   * `end` (the SDK would send full timestamps).
   */
  calendar(start: Date, end: Date): Promise<{ date: string; open: string; close: string }[]> {
    return this.retrying("GET /v2/calendar", async () => {
      const res = await this.calendarApi.legacyCalendarRaw({
        start: new DateOnly(start.getTime()),
        end: new DateOnly(end.getTime()),
      });
      const json = await res.raw.json();
      return Array.isArray(json) ? json : [];
    });
  }

  /** Alpaca's clock (for the skew between its time and ours). */
  clock(): Promise<trading.LegacyClock> {
    return this.retrying("GET /v2/clock", () => this.clockApi.legacyClock());
  }

  /** Every open order, oldest first. */
  openOrders(): Promise<AlpacaOrder[]> {
    return this.listOrders("open");
  }

  /**
   * Orders by status (`all`: finished ones too) submitted after a time, oldest first: pages of
   * 500 followed by submission time (GET /v2/orders `after` filters on submission time).
   */
  async listOrders(status: "open" | "all", since?: string): Promise<AlpacaOrder[]> {
    const out: AlpacaOrder[] = [];
    const seen = new Set<string>();
    let after = since;
    for (;;) {
      const page = await this.retrying(
        "GET /v2/orders",
        () => this.orders.getAllOrders({ status, limit: 500, direction: "asc", after }),
      );
      const fresh = page.filter((o) => o.id && !seen.has(o.id));
      for (const o of fresh) seen.add(o.id!), out.push(o);
      if (page.length < 500 || fresh.length === 0) return out;
      after = (page[page.length - 1].submittedAt ?? page[page.length - 1].createdAt)
        ?.toISOString();
      if (!after) return out;
    }
  }

  /** One order by the client order id it was sent with; null when Alpaca does not know it. */
  orderByClientId(clientOrderId: string): Promise<AlpacaOrder | null> {
    return this.orNull(
      "GET /v2/orders:by_client_order_id",
      () => this.orders.getOrderByClientOrderId({ clientOrderId }),
    );
  }

  /** One order by Alpaca's id; null when unknown. */
  orderById(orderId: string): Promise<AlpacaOrder | null> {
    return this.orNull("GET /v2/orders/{id}", () => this.orders.getOrderByOrderID({ orderId }));
  }

  /** Sends an order once. Failures are the caller's to resolve (see `AlpacaBroker.submit`). */
  postOrder(body: AlpacaOrderBody): Promise<AlpacaOrder> {
    return this.orders.postOrder({ postOrderRequest: body });
  }

  /** Asks Alpaca to cancel; the outcome arrives on the stream. Repeating it is harmless. */
  async cancelOrder(orderId: string): Promise<void> {
    await this.retrying(
      "DELETE /v2/orders/{id}",
      () => this.orders.deleteOrderByOrderID({ orderId }),
    );
  }

  /** Replaces an order (a new order id; `patch.clientOrderId` names the replacement). Once. */
  replaceOrder(orderId: string, patch: AlpacaOrderPatch): Promise<AlpacaOrder> {
    return this.orders.patchOrderByOrderId({ orderId, patchOrderRequest: patch });
  }

  /**
   * FILL activities after a time, oldest first, every page. Read from the raw JSON: SDK 4.0.2
   * classifies these responses as non-trade activities and drops the fill fields.
   */
  async fills(afterMs: number): Promise<AlpacaActivity[]> {
    const out: AlpacaActivity[] = [];
    let pageToken: string | undefined;
    for (;;) {
      const page = await this.retrying("GET /v2/account/activities/FILL", async () => {
        const res = await this.activities.getAccountActivitiesByActivityTypeRaw({
          activityType: "FILL",
          after: new Date(afterMs),
          direction: "asc",
          pageSize: 100,
          pageToken,
        });
        const json = await res.raw.json();
        return (Array.isArray(json) ? json : []).map((a) => trading.TradingActivitiesFromJSON(a));
      });
      out.push(...page);
      const last = page[page.length - 1]?.id;
      if (page.length < 100 || !last || last === pageToken) return out;
      pageToken = last;
    }
  }

  /** The latest minute bar of each symbol (market data REST). */
  async latestBars(symbols: readonly string[]): Promise<Record<string, AlpacaBarJson>> {
    if (symbols.length === 0) return {};
    const res = await this.retrying(
      "GET /v2/stocks/bars/latest",
      () => this.stocks.stockLatestBars({ symbols: symbols.join(","), feed: this.cfg.feed }),
    );
    return (res.bars ?? {}) as Record<string, AlpacaBarJson>;
  }
}
