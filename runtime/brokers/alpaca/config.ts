/**
 * What the Alpaca adapter needs to start: keys, the environment (paper unless `--live`), the four
 * endpoints, and the resilience knobs. Options win over the environment, the environment over a
 * `.env` file, and those over Alpaca's documented defaults.
 */
import { withDotEnv } from "../../config/dotenv.ts";
import { AlpacaConfigError } from "./errors.ts";

/** Alpaca's hosts (documented defaults). */
export const ALPACA_PAPER_URL = "https://paper-api.alpaca.markets";
export const ALPACA_LIVE_URL = "https://api.alpaca.markets";
export const ALPACA_DATA_URL = "https://data.alpaca.markets";
export const ALPACA_DATA_STREAM_HOST = "wss://stream.data.alpaca.markets";

/** A trading calendar's minute test: bars are kept only on the calendar's trading minutes. */
export interface MinuteFilter {
  is_open_on_minute(minute: number): boolean;
}

/** Options of `createAlpacaBroker`. Every field but `env` is optional. */
export interface AlpacaBrokerOptions {
  /**
   * The environment: `APCA_API_KEY_ID`, `APCA_API_SECRET_KEY`, and optionally `APCA_API_BASE_URL`,
   * `APCA_API_DATA_URL`, `APCA_API_STREAM_URL`, `APCA_API_DATA_STREAM_URL`, `APCA_DATA_FEED`.
   * Values missing here are read from the `.env` file (`dotenvPath`).
   */
  env: Record<string, string | undefined>;
  /** Trade the paper account. @default true — live trading needs an explicit `paper: false`. */
  paper?: boolean;
  /** Trading REST URL. @default https://paper-api.alpaca.markets (live: https://api.alpaca.markets) */
  baseUrl?: string;
  /** Market data REST URL. @default https://data.alpaca.markets */
  dataUrl?: string;
  /** `trade_updates` WebSocket URL. @default the trading URL as ws(s)://…/stream */
  streamUrl?: string;
  /** Market data WebSocket URL. @default wss://stream.data.alpaca.markets/v2/<feed> */
  dataStreamUrl?: string;
  /** Stock data feed: `iex` (free plan), `sip` (paid), `delayed_sip`. @default "iex" */
  feed?: "iex" | "sip" | "delayed_sip";
  /** Clock (UTC ms) for events Alpaca does not timestamp. @default Date.now */
  now?: () => number;
  /** Waits between retries, reconnects and polls; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /** REST retries of 429, 5xx and network failures. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Stream reconnects: delay grows from base to max; `maxAttempts` 0 = forever. */
  reconnect?: { baseDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
  /** WebSocket ping interval; a connection that misses a pong is dropped. 0 disables. @default 15000 */
  heartbeatMs?: number;
  /** Time allowed for a stream to authenticate and subscribe. @default 10000 */
  handshakeTimeoutMs?: number;
  /** Latest-bar polling interval while the data stream is down. @default 15000 */
  pollMs?: number;
  /** Per-request HTTP timeout. @default 30000 */
  timeoutMs?: number;
  /** Which minutes bars may carry (extended-hours bars are dropped). null keeps every bar. @default XNYS */
  calendar?: MinuteFilter | null;
  /** The `.env` file read for missing variables. @default ".env" */
  dotenvPath?: string;
}

/** Everything resolved: no optional fields left. */
export interface AlpacaConfig {
  keyId: string;
  secret: string;
  paper: boolean;
  tradingUrl: string;
  dataUrl: string;
  streamUrl: string;
  dataStreamUrl: string;
  feed: "iex" | "sip" | "delayed_sip";
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  reconnect: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number };
  heartbeatMs: number;
  handshakeTimeoutMs: number;
  pollMs: number;
  timeoutMs: number;
}

const FEEDS = ["iex", "sip", "delayed_sip"] as const;

function url(name: string, value: string, schemes: readonly string[]): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new AlpacaConfigError(`${name}: "${value}" is not a URL`);
  }
  if (!schemes.includes(u.protocol)) {
    throw new AlpacaConfigError(`${name}: "${value}" must start with ${schemes.join(" or ")}//`);
  }
  return value.replace(/\/+$/, "");
}

/** `https://host/x` → `wss://host/x/stream` (the trade_updates endpoint beside the REST API). */
export function streamUrlFor(tradingUrl: string): string {
  return `${tradingUrl.replace(/^http/, "ws")}/stream`;
}

/**
 * Resolves options, environment and `.env` into a complete configuration, failing with one
 * message that names the variable or option to fix.
 *
 * @example
 * ```ts
 * const cfg = resolveAlpacaConfig({ env: Deno.env.toObject() }); // paper account, IEX data
 * cfg.tradingUrl; // "https://paper-api.alpaca.markets"
 * ```
 */
export function resolveAlpacaConfig(o: AlpacaBrokerOptions): AlpacaConfig {
  const env = withDotEnv(o.env, o.dotenvPath ?? ".env");
  const keyId = env.APCA_API_KEY_ID, secret = env.APCA_API_SECRET_KEY;
  if (!keyId || !secret) {
    const missing = [!keyId && "APCA_API_KEY_ID", !secret && "APCA_API_SECRET_KEY"].filter(Boolean);
    throw new AlpacaConfigError(
      `Alpaca needs ${missing.join(" and ")}: set ${
        missing.length > 1 ? "them" : "it"
      } in the environment or in .env`,
    );
  }
  const paper = o.paper ?? true;
  const tradingUrl = url(
    "Alpaca trading URL",
    o.baseUrl ?? env.APCA_API_BASE_URL ?? (paper ? ALPACA_PAPER_URL : ALPACA_LIVE_URL),
    ["http:", "https:"],
  );
  const host = new URL(tradingUrl).host;
  if (paper && host === new URL(ALPACA_LIVE_URL).host) {
    throw new AlpacaConfigError(
      `the trading URL ${tradingUrl} is Alpaca's LIVE endpoint, but live trading was not asked ` +
        `for: pass --live to trade real money, or use ${ALPACA_PAPER_URL}`,
    );
  }
  if (!paper && host === new URL(ALPACA_PAPER_URL).host) {
    throw new AlpacaConfigError(
      `--live was given but the trading URL ${tradingUrl} is the paper endpoint: drop --live, ` +
        `or unset APCA_API_BASE_URL`,
    );
  }
  const feed = (o.feed ?? env.APCA_DATA_FEED ?? "iex") as AlpacaConfig["feed"];
  if (!FEEDS.includes(feed)) {
    throw new AlpacaConfigError(`Alpaca data feed "${feed}" is not one of ${FEEDS.join(", ")}`);
  }
  const n = (v: number | undefined, d: number) => (v !== undefined && v >= 0 ? v : d);
  return {
    keyId,
    secret,
    paper,
    tradingUrl,
    dataUrl: url("Alpaca data URL", o.dataUrl ?? env.APCA_API_DATA_URL ?? ALPACA_DATA_URL, [
      "http:",
      "https:",
    ]),
    streamUrl: url(
      "Alpaca stream URL",
      o.streamUrl ?? env.APCA_API_STREAM_URL ?? streamUrlFor(tradingUrl),
      ["ws:", "wss:"],
    ),
    dataStreamUrl: url(
      "Alpaca data stream URL",
      o.dataStreamUrl ?? env.APCA_API_DATA_STREAM_URL ?? `${ALPACA_DATA_STREAM_HOST}/v2/${feed}`,
      ["ws:", "wss:"],
    ),
    feed,
    retry: {
      attempts: Math.max(1, n(o.retry?.attempts, 5)),
      baseDelayMs: n(o.retry?.baseDelayMs, 500),
      maxDelayMs: n(o.retry?.maxDelayMs, 30_000),
    },
    reconnect: {
      baseDelayMs: n(o.reconnect?.baseDelayMs, 1_000),
      maxDelayMs: n(o.reconnect?.maxDelayMs, 30_000),
      maxAttempts: n(o.reconnect?.maxAttempts, 0),
    },
    heartbeatMs: n(o.heartbeatMs, 15_000),
    handshakeTimeoutMs: n(o.handshakeTimeoutMs, 10_000),
    pollMs: n(o.pollMs, 15_000),
    timeoutMs: n(o.timeoutMs, 30_000),
  };
}
