/**
 * A small client for the Alpaca REST endpoints the `alpaca_api` bundle reads: assets (trading
 * API), historical bars and corporate actions (market data API). Every request goes through
 * `fetchWithRetry`, and every paginated endpoint is followed to its last page.
 */
import { readFileSync } from "node:fs";
import { withDotEnv } from "../../runtime/config/dotenv.ts";
import { IngestError } from "../errors.ts";
import { fetchWithRetry, type RetryOptions } from "./http.ts";

export const DEFAULT_TRADING_URL = "https://paper-api.alpaca.markets";
export const DEFAULT_DATA_URL = "https://data.alpaca.markets";

/** One bar as Alpaca sends it; `t` is the bar's start (RFC 3339, UTC). */
export interface AlpacaBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n?: number;
  vw?: number;
}

export interface AlpacaAsset {
  symbol: string;
  name?: string;
  exchange?: string;
  tradable?: boolean;
  status?: string;
}

export interface AlpacaSplit {
  symbol: string;
  new_rate: number;
  old_rate: number;
  ex_date: string;
}

export interface AlpacaCashDividend {
  symbol: string;
  rate: number;
  ex_date: string;
  record_date?: string | null;
  payable_date?: string | null;
}

export interface AlpacaCorporateActions {
  forward_splits: AlpacaSplit[];
  reverse_splits: AlpacaSplit[];
  cash_dividends: AlpacaCashDividend[];
}

export type AlpacaTimeframe = "1Day" | "1Min";

export interface AlpacaConfig {
  keyId: string;
  secret: string;
  tradingUrl: string;
  dataUrl: string;
  /** Data feed (`sip`, `iex`); Alpaca picks one by subscription when absent. */
  feed?: string;
  retry: Omit<RetryOptions, "service">;
}

const nonNegative = (v: string | undefined): number | undefined => {
  const n = Number(v);
  return v !== undefined && v !== "" && Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * Credentials and URLs from the environment, then `.env` (the environment wins). The retry
 * delays can be shortened with `HARVESTER_HTTP_RETRY_BASE_MS` / `_MAX_MS` (tests use this).
 */
export function alpacaConfig(environ: Record<string, string | undefined>): AlpacaConfig {
  const env = withDotEnv(environ);
  const keyId = env.APCA_API_KEY_ID, secret = env.APCA_API_SECRET_KEY;
  if (!keyId || !secret) {
    const missing = [!keyId && "APCA_API_KEY_ID", !secret && "APCA_API_SECRET_KEY"].filter(Boolean);
    throw new IngestError(
      `alpaca_api needs Alpaca API keys: set ${missing.join(" and ")} in the environment or .env`,
    );
  }
  return {
    keyId,
    secret,
    tradingUrl: (env.APCA_API_BASE_URL || DEFAULT_TRADING_URL).replace(/\/+$/, ""),
    dataUrl: (env.APCA_API_DATA_URL || DEFAULT_DATA_URL).replace(/\/+$/, ""),
    feed: env.APCA_DATA_FEED || undefined,
    retry: {
      baseDelayMs: nonNegative(env.HARVESTER_HTTP_RETRY_BASE_MS),
      maxDelayMs: nonNegative(env.HARVESTER_HTTP_RETRY_MAX_MS),
      // A 429's own wait (X-RateLimit-Reset) is capped by the same knob when it is set.
      rateLimitMaxDelayMs: nonNegative(env.HARVESTER_HTTP_RETRY_MAX_MS),
    },
  };
}

type Params = Record<string, string | number | undefined>;

/**
 * A 403 from the market data API that is about the data plan, not the keys: the free plan may not
 * query SIP data of the last 15 minutes (`{"message":"subscription does not permit querying
 * recent SIP data"}`, docs.alpaca.markets "Historical API": "the latest 15 minutes … require a
 * subscription"), nor data it does not include at all.
 */
export function planRefusal(status: number, body: string, url: string): IngestError | undefined {
  if (status !== 403 || !/subscription does not permit/i.test(body)) return undefined;
  const recentSip = /recent sip/i.test(body);
  return new IngestError(
    `Alpaca's data plan does not allow this request (HTTP 403 for ${url}: ${body.trim()}); ` +
      (recentSip
        ? "the free plan reads SIP data only up to 15 minutes ago: set APCA_DATA_FEED=iex, " +
          "or ingest again 15 minutes after the last session's close"
        : "set APCA_DATA_FEED=iex (the free plan's feed), or upgrade the plan") +
      ". The keys themselves were accepted.",
  );
}

export class AlpacaClient {
  constructor(
    private readonly cfg: AlpacaConfig,
    private readonly onRetry?: (message: string) => void,
  ) {}

  private async get<T>(base: string, path: string, params: Params): Promise<T> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
    const url = `${base}${path}${q.size ? `?${q}` : ""}`;
    const headers = { "APCA-API-KEY-ID": this.cfg.keyId, "APCA-API-SECRET-KEY": this.cfg.secret };
    try {
      const res = await fetchWithRetry(url, { headers }, {
        ...this.cfg.retry,
        service: "Alpaca",
        refusal: planRefusal,
        onRetry: (attempt, ms, reason) =>
          this.onRetry?.(`alpaca: ${reason} on ${path}, retry ${attempt} in ${ms} ms`),
      });
      return await res.json() as T;
    } catch (e) {
      if (e instanceof IngestError && /refused the credentials/.test(e.message)) {
        // The usual causes: a typo, or paper keys used against the live trading URL.
        throw new IngestError(
          `${e.message}; check APCA_API_KEY_ID / APCA_API_SECRET_KEY and that APCA_API_BASE_URL` +
            ` matches the keys (paper keys work only with ${DEFAULT_TRADING_URL})`,
          {},
          { cause: e },
        );
      }
      throw e;
    }
  }

  /** Active, tradable US equities (the trading API's asset list is one unpaginated array). */
  async activeAssets(): Promise<AlpacaAsset[]> {
    const all = await this.get<AlpacaAsset[]>(this.cfg.tradingUrl, "/v2/assets", {
      status: "active",
      asset_class: "us_equity",
    });
    return all.filter((a) => a.tradable !== false);
  }

  /**
   * Raw (unadjusted) bars of `symbols` from `start` to `end` (RFC 3339, inclusive), one page at
   * a time. A symbol's bars may continue on the next page.
   */
  async *bars(
    symbols: readonly string[],
    timeframe: AlpacaTimeframe,
    start: string,
    end: string,
  ): AsyncGenerator<Record<string, AlpacaBar[]>> {
    let page_token: string | undefined;
    do {
      const page = await this.get<
        { bars: Record<string, AlpacaBar[]> | null; next_page_token?: string | null }
      >(
        this.cfg.dataUrl,
        "/v2/stocks/bars",
        {
          symbols: symbols.join(","),
          timeframe,
          start,
          end,
          adjustment: "raw",
          feed: this.cfg.feed,
          limit: 10000,
          page_token,
        },
      );
      yield page.bars ?? {};
      page_token = page.next_page_token ?? undefined;
    } while (page_token);
  }

  /** Splits and cash dividends of `symbols` with ex-dates from `start` to `end` (YYYY-MM-DD). */
  async corporateActions(
    symbols: readonly string[],
    start: string,
    end: string,
  ): Promise<AlpacaCorporateActions> {
    const out: AlpacaCorporateActions = {
      forward_splits: [],
      reverse_splits: [],
      cash_dividends: [],
    };
    let page_token: string | undefined;
    do {
      const page = await this.get<{
        corporate_actions?: Partial<AlpacaCorporateActions>;
        next_page_token?: string | null;
      }>(this.cfg.dataUrl, "/v1/corporate-actions", {
        symbols: symbols.join(","),
        types: "forward_split,reverse_split,cash_dividend",
        start,
        end,
        limit: 1000,
        page_token,
      });
      const ca = page.corporate_actions ?? {};
      out.forward_splits.push(...(ca.forward_splits ?? []));
      out.reverse_splits.push(...(ca.reverse_splits ?? []));
      out.cash_dividends.push(...(ca.cash_dividends ?? []));
      page_token = page.next_page_token ?? undefined;
    } while (page_token);
    return out;
  }
}

function parseSymbols(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.replace(/#.*/, "")).flatMap((l) => l.split(/[\s,]+/))
    .map((s) => s.trim().toUpperCase()).filter(Boolean);
}

/** The symbols asked for: `symbols`, a symbols file, zipline-trader's list, or none (all). */
function requestedSymbols(
  options: Record<string, unknown>,
  environ: Record<string, string | undefined>,
): string[] | undefined {
  const o = options.symbols;
  if (Array.isArray(o) && o.length) return parseSymbols(o.join("\n"));
  if (typeof o === "string" && o.trim()) return parseSymbols(o);
  const file = (options.symbols_file as string | undefined) ??
    environ.HARVESTER_ALPACA_SYMBOLS_FILE;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new IngestError(`cannot read the symbols file: ${(e as Error).message}`, { file });
    }
    const list = parseSymbols(text);
    if (!list.length) throw new IngestError("the symbols file lists no symbols", { file });
    return list;
  }
  const zt = environ.ZT_CUSTOM_ASSET_LIST; // zipline-trader's "AAPL, TSLA"
  return zt?.trim() ? parseSymbols(zt) : undefined;
}

/**
 * The universe, sorted: the symbols asked for, else every active tradable US equity. The asset
 * list is fetched either way, for names and exchanges.
 */
export async function resolveUniverse(
  client: AlpacaClient,
  options: Record<string, unknown>,
  environ: Record<string, string | undefined>,
  note: (message: string) => void,
): Promise<{ symbols: string[]; meta: Map<string, AlpacaAsset> }> {
  const asked = requestedSymbols(options, environ);
  const assets = await client.activeAssets();
  const meta = new Map(assets.map((a) => [a.symbol.toUpperCase(), a]));
  const symbols = [...new Set(asked ?? meta.keys())].sort();
  const unknown = asked ? symbols.filter((s) => !meta.has(s)) : [];
  if (unknown.length) {
    note(
      `alpaca: not active tradable assets, fetched anyway: ${unknown.slice(0, 20).join(", ")}` +
        (unknown.length > 20 ? ` and ${unknown.length - 20} more` : ""),
    );
  }
  if (!symbols.length) throw new IngestError("alpaca_api: the universe has no symbols");
  return { symbols, meta };
}
