/**
 * A fake Alpaca server on 127.0.0.1 for tests: the trading API's asset list and the market data
 * API's historical and latest bars and corporate actions, in Alpaca's formats, with small pages,
 * key checks, and scripted failures (429 with Retry-After, 5xx, anything); and the stock data
 * stream (`/v2/<feed>`: greeting, `auth`, `subscribe` → `subscription`, `T: "b"` bars).
 *
 * Data lives in plain objects (`server.data`) that tests edit between requests; endpoints are
 * routes in a small router (exact paths, or RegExps for ids), and `onUpgrade` answers WebSocket
 * upgrades: `alpaca_trading_server.ts` adds the trading API and both streams this way.
 */

export interface FakeBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n?: number;
  vw?: number;
}

export interface FakeAsset {
  symbol: string;
  name: string;
  exchange: string;
  tradable: boolean;
  status: "active" | "inactive";
  class?: string;
}

export interface FakeSplit {
  symbol: string;
  new_rate: number;
  old_rate: number;
  ex_date: string;
}

export interface FakeCashDividend {
  symbol: string;
  rate: number;
  ex_date: string;
  record_date?: string;
  payable_date?: string;
}

export interface FakeAlpacaData {
  assets: FakeAsset[];
  /** Bars by timeframe (`1Day`, `1Min`) and symbol, each list sorted by `t`. */
  bars: Record<string, Record<string, FakeBar[]>>;
  corporate_actions: {
    forward_splits: FakeSplit[];
    reverse_splits: FakeSplit[];
    cash_dividends: FakeCashDividend[];
  };
}

/** A failure to answer instead of the real response, for requests whose path matches. */
export interface ScriptedFailure {
  path?: string | RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail. @default 1 */
  times?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  status: number;
}

export interface RouteContext {
  req: Request;
  url: URL;
  params: Record<string, string>;
  server: FakeAlpacaServer;
  /** The match of a route registered with a RegExp path (`/v2/orders/([^/]+)`). */
  match?: RegExpExecArray;
}

export type Handler = (ctx: RouteContext) => Response | Promise<Response>;

export const UNAUTHORIZED = { code: 40110000, message: "request is not authorized" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export const emptyData = (): FakeAlpacaData => ({
  assets: [],
  bars: { "1Day": {}, "1Min": {} },
  corporate_actions: { forward_splits: [], reverse_splits: [], cash_dividends: [] },
});

// Alpaca's page tokens are opaque base64; here they hold the offset of the next item.
const encodeToken = (offset: number) => btoa(`offset:${offset}`);
function decodeToken(token: string | null): number {
  if (!token) return 0;
  const m = /^offset:(\d+)$/.exec(atob(token));
  return m ? Number(m[1]) : 0;
}

/** Paginates `items` per the request's `limit` (capped by the server's page size). */
function page<T>(ctx: RouteContext, items: T[]): { items: T[]; next: string | null } {
  const from = decodeToken(ctx.url.searchParams.get("page_token"));
  const limit = Math.min(Number(ctx.params.limit ?? Infinity) || Infinity, ctx.server.pageSize);
  const to = Math.min(items.length, from + limit);
  return { items: items.slice(from, to), next: to < items.length ? encodeToken(to) : null };
}

/** Instant of an RFC 3339 time or a `YYYY-MM-DD` date (its UTC midnight), as Alpaca reads them. */
const instant = (s: string) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);

const symbolsOf = (ctx: RouteContext) =>
  (ctx.params.symbols ?? "").split(",").map((s) => s.trim()).filter(Boolean);

function barsRoute(ctx: RouteContext): Response {
  const srv = ctx.server;
  // The free plan may not read SIP data of the last 15 minutes: docs.alpaca.markets, Historical
  // API ("… the most recent 15 minutes … require a subscription"); the answer is this 403.
  const feed = ctx.params.feed ?? (srv.plan === "free" ? "iex" : "sip");
  const end = ctx.params.end ? instant(ctx.params.end) : srv.now();
  if (srv.plan === "free" && feed === "sip" && end > srv.now() - 15 * 60_000) {
    return json({ message: "subscription does not permit querying recent SIP data" }, 403);
  }
  const tf = ctx.params.timeframe;
  const table = ctx.server.data.bars[tf];
  if (!table) return json({ code: 42210000, message: `invalid timeframe: ${tf}` }, 422);
  const lo = ctx.params.start ? instant(ctx.params.start) : -Infinity;
  const hi = ctx.params.end ? instant(ctx.params.end) : Infinity;
  // Alpaca sorts multi-symbol results by symbol, then time.
  const rows = symbolsOf(ctx).sort().flatMap((s) =>
    (table[s] ?? []).filter((b) => instant(b.t) >= lo && instant(b.t) <= hi).map((b) => ({ s, b }))
  );
  const { items, next } = page(ctx, rows);
  const bars: Record<string, FakeBar[]> = {};
  for (const { s, b } of items) (bars[s] ??= []).push(b);
  return json({ bars, next_page_token: next });
}

const ACTION_TYPES = {
  forward_split: "forward_splits",
  reverse_split: "reverse_splits",
  cash_dividend: "cash_dividends",
} as const;

function corporateActionsRoute(ctx: RouteContext): Response {
  const symbols = new Set(symbolsOf(ctx));
  const types = (ctx.params.types ?? Object.keys(ACTION_TYPES).join(",")).split(",");
  const lo = ctx.params.start ?? "0000-00-00", hi = ctx.params.end ?? "9999-99-99";
  const rows = types.flatMap((t) => {
    const key = ACTION_TYPES[t as keyof typeof ACTION_TYPES];
    const list: (FakeSplit | FakeCashDividend)[] = key
      ? ctx.server.data.corporate_actions[key]
      : [];
    return list.filter((a) =>
      (symbols.size === 0 || symbols.has(a.symbol)) && a.ex_date >= lo && a.ex_date <= hi
    ).map((a) => ({ key, a }));
  });
  const { items, next } = page(ctx, rows);
  const out: Record<string, unknown[]> = {};
  for (const { key, a } of items) (out[key!] ??= []).push(a);
  return json({ corporate_actions: out, next_page_token: next });
}

/** `/v2/stocks/bars/latest`: each symbol's last `1Min` bar (Alpaca sends none for unknowns). */
function latestBarsRoute(ctx: RouteContext): Response {
  const bars: Record<string, FakeBar> = {};
  for (const s of symbolsOf(ctx)) {
    const list = ctx.server.data.bars["1Min"]?.[s];
    if (list?.length) bars[s] = list[list.length - 1];
  }
  return json({ bars });
}

function assetsRoute(ctx: RouteContext): Response {
  const status = ctx.params.status, cls = ctx.params.asset_class;
  return json(
    ctx.server.data.assets.filter((a) =>
      (!status || a.status === status) && (!cls || (a.class ?? "us_equity") === cls)
    ),
  );
}

interface Route {
  method: string;
  path: string | RegExp;
  handler: Handler;
}

export class FakeAlpacaServer {
  data: FakeAlpacaData = emptyData();
  keys = { id: "test-key", secret: "test-secret" };
  /** Largest page any endpoint returns, whatever `limit` asks. */
  pageSize = 5;
  readonly log: LoggedRequest[] = [];
  readonly failures: ScriptedFailure[] = [];
  private readonly routes: Route[] = [];
  /** Answers other WebSocket upgrades (the streams authenticate in-band: no key headers). */
  onUpgrade?: (req: Request, url: URL) => Response;
  /** The data stream refuses connections (503) while true; `streamAuthRefused`: its keys. */
  dataStreamDown = false;
  streamAuthRefused = false;
  /**
   * Data stream connections allowed at once ("in most subscriptions … this limit is 1",
   * docs.alpaca.markets "Streaming market data": a second one gets
   * `[{"T":"error","code":406,"msg":"connection limit exceeded"}]`, then is closed).
   */
  dataConnectionLimit = 1;
  /** Connections Alpaca still counts though their sockets are gone (a reconnect too soon). */
  staleDataConnections = 0;
  private readonly authedStreams = new Set<WebSocket>();
  /** The plan: "free" refuses SIP data of the last 15 minutes (see barsRoute). */
  plan: "free" | "paid" = "paid";
  /** The server's clock (UTC ms), for the plan's 15 minutes and the rate window. */
  now: () => number = Date.now;
  /**
   * Rate limiting as Alpaca does it (docs.alpaca.markets "Rate limit": 200 requests a minute
   * per account): every answer carries X-RateLimit-Limit, -Remaining and -Reset (the epoch
   * second the window resets); over the limit, 429 until then. null: no limit.
   */
  rateLimit: { limit: number; windowMs: number } | null = null;
  private window = { start: -Infinity, used: 0 };
  /** Messages the data stream received. */
  readonly streamReceived: Record<string, unknown>[] = [];
  private readonly subscribers = new Map<WebSocket, Set<string>>();
  private constructor(private readonly httpServer: Deno.HttpServer<Deno.NetAddr>) {}

  /** Starts on a free port of 127.0.0.1 with the asset, bars and corporate-action routes. */
  static start(): FakeAlpacaServer {
    // The handler needs the server object, which needs the listening server: a box breaks the loop.
    const box: { self?: FakeAlpacaServer } = {};
    const httpServer = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => box.self!.handle(req),
    );
    const self = box.self = new FakeAlpacaServer(httpServer);
    self.route("GET", "/v2/assets", assetsRoute);
    self.route("GET", "/v2/stocks/bars", barsRoute);
    self.route("GET", "/v2/stocks/bars/latest", latestBarsRoute);
    self.route("GET", "/v1/corporate-actions", corporateActionsRoute);
    return self;
  }

  /** Base URL, serving both the trading and the data API. */
  get url(): string {
    return `http://127.0.0.1:${this.httpServer.addr.port}`;
  }

  /** Adds (or replaces) the handler of `method path`; a RegExp path must match the whole path. */
  route(method: string, path: string | RegExp, handler: Handler): void {
    const i = this.routes.findIndex((r) => r.method === method && String(r.path) === String(path));
    if (i >= 0) this.routes.splice(i, 1);
    this.routes.push({ method, path, handler });
  }

  /** Makes the next `times` requests matching `path` fail with `status`. */
  fail(f: ScriptedFailure): void {
    this.failures.push({ times: 1, ...f });
  }

  /** Logged requests to a path. */
  requests(path: string): LoggedRequest[] {
    return this.log.filter((r) => r.path === path);
  }

  private scripted(path: string): Response | undefined {
    const f = this.failures.find((f) =>
      (f.times ?? 1) > 0 &&
      (f.path === undefined || (typeof f.path === "string" ? f.path === path : f.path.test(path)))
    );
    if (!f) return undefined;
    f.times = (f.times ?? 1) - 1;
    return json(f.body ?? { code: 50010000, message: "scripted failure" }, f.status, f.headers);
  }

  /** A minute bar (`t` = its start) to every stream client subscribed to the symbol's bars. */
  pushBar(symbol: string, bar: FakeBar): void {
    const frame = JSON.stringify([{ T: "b", S: symbol, ...bar }]);
    for (const [ws, symbols] of this.subscribers) if (symbols.has(symbol)) ws.send(frame);
  }

  /** Closes every data stream connection (clients must reconnect). */
  dropDataStream(): void {
    for (const ws of this.subscribers.keys()) ws.close(1011, "dropped");
    this.subscribers.clear();
  }

  /** Data stream clients subscribed now. */
  get streamClients(): number {
    return this.subscribers.size;
  }

  /** Whether in-band stream credentials are this server's keys. */
  streamKeysOk(key: unknown, secret: unknown): boolean {
    return !this.streamAuthRefused && key === this.keys.id && secret === this.keys.secret;
  }

  private dataStream(req: Request): Response {
    if (this.dataStreamDown) return json({ message: "service unavailable" }, 503);
    const { socket: ws, response } = Deno.upgradeWebSocket(req);
    let authed = false;
    const send = (m: unknown) => ws.send(JSON.stringify([m]));
    ws.onopen = () => send({ T: "success", msg: "connected" });
    ws.onmessage = (e) => {
      const m = JSON.parse(String(e.data));
      this.streamReceived.push(m);
      if (m.action === "auth") {
        authed = this.streamKeysOk(m.key, m.secret);
        if (!authed) {
          send({ T: "error", code: 402, msg: "auth failed" });
          return ws.close();
        }
        if (this.authedStreams.size + this.staleDataConnections >= this.dataConnectionLimit) {
          authed = false;
          send({ T: "error", code: 406, msg: "connection limit exceeded" });
          return ws.close();
        }
        this.authedStreams.add(ws);
        return send({ T: "success", msg: "authenticated" });
      } else if (m.action === "subscribe") {
        if (!authed) return send({ T: "error", code: 401, msg: "not authenticated" });
        const symbols = this.subscribers.get(ws) ?? new Set<string>();
        for (const s of m.bars ?? []) symbols.add(s);
        this.subscribers.set(ws, symbols);
        send({ T: "subscription", trades: [], quotes: [], bars: [...symbols] });
      }
    };
    ws.onclose = () => {
      this.subscribers.delete(ws);
      this.authedStreams.delete(ws);
    };
    return response;
  }

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (req.headers.get("upgrade")?.toLowerCase() === "websocket") {
      if (/^\/v2\/(iex|sip|delayed_sip)$/.test(url.pathname)) return this.dataStream(req);
      if (this.onUpgrade) return this.onUpgrade(req, url);
    }
    const params = Object.fromEntries(url.searchParams);
    const res = await this.dispatch(req, url, params);
    this.log.push({ method: req.method, path: url.pathname, params, status: res.status });
    return res;
  }

  /** The rate headers of this request's answer, and whether it is over the limit. */
  private rate(): { headers: Record<string, string>; over: boolean } {
    const r = this.rateLimit;
    if (!r) return { headers: {}, over: false };
    const now = this.now();
    if (now >= this.window.start + r.windowMs) this.window = { start: now, used: 0 };
    this.window.used++;
    const over = this.window.used > r.limit;
    return {
      over,
      headers: {
        "X-RateLimit-Limit": String(r.limit),
        "X-RateLimit-Remaining": String(Math.max(0, r.limit - this.window.used)),
        "X-RateLimit-Reset": String(Math.ceil((this.window.start + r.windowMs) / 1000)),
      },
    };
  }

  private async dispatch(req: Request, url: URL, params: Record<string, string>) {
    const ok = req.headers.get("APCA-API-KEY-ID") === this.keys.id &&
      req.headers.get("APCA-API-SECRET-KEY") === this.keys.secret;
    if (!ok) return json(UNAUTHORIZED, 401);
    const rate = this.rate();
    if (rate.over) return json({ message: "too many requests." }, 429, rate.headers);
    const res = await this.route404(req, url, params);
    for (const [k, v] of Object.entries(rate.headers)) res.headers.set(k, v);
    return res;
  }

  private route404(req: Request, url: URL, params: Record<string, string>) {
    const failure = this.scripted(url.pathname);
    if (failure) return failure;
    for (const r of this.routes) {
      if (r.method !== req.method) continue;
      if (typeof r.path === "string") {
        if (r.path === url.pathname) return r.handler({ req, url, params, server: this });
        continue;
      }
      const match = new RegExp(`^(?:${r.path.source})$`).exec(url.pathname);
      if (match) return r.handler({ req, url, params, server: this, match });
    }
    return json({ code: 40410000, message: "endpoint not found" }, 404);
  }

  async close(): Promise<void> {
    this.dropDataStream();
    await this.httpServer.shutdown();
  }
}
