/**
 * HTTP for network ingesters: retries 5xx and network failures with exponential backoff and
 * jitter; waits out rate limiting (429) as the server says — until `X-RateLimit-Reset` (Alpaca's
 * header: the epoch second the window resets) or for `Retry-After` seconds — with patience enough
 * for a whole rate window, without spending the attempts; and turns refusals into one clear error.
 */
import { IngestError } from "../errors.ts";

export interface RetryOptions {
  /** Attempts in all for 5xx and network failures, including the first. @default 5 */
  attempts?: number;
  /** First backoff delay in ms; doubles each retry. @default 500 */
  baseDelayMs?: number;
  /** Cap on one backoff delay. @default 30000 */
  maxDelayMs?: number;
  /**
   * Cap on one wait the server asked for (429 with X-RateLimit-Reset or Retry-After): a minute's
   * window and a little more. @default 65000
   */
  rateLimitMaxDelayMs?: number;
  /** How long 429s are waited out in all before giving up. @default 300000 */
  rateLimitPatienceMs?: number;
  /** Name of the service, for messages. */
  service: string;
  /** Called before each retry (for progress notes). */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
  /**
   * A refusal (401/403) that is not about the credentials, as its own error (e.g. a data plan
   * that does not cover what was asked); undefined leaves it to the credentials message.
   */
  refusal?: (status: number, body: string, url: string) => IngestError | undefined;
  /** Waits; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock, for X-RateLimit-Reset. @default Date.now */
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Delay before retry number `attempt` (1-based), with ±50 % jitter. */
export function backoffDelay(
  attempt: number,
  base: number,
  max: number,
  random = Math.random,
): number {
  const d = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(d * (0.5 + random()));
}

/**
 * How long a 429 asks to wait (ms), or NaN when it does not say: until `X-RateLimit-Reset` (epoch
 * seconds; docs.alpaca.markets "Rate limit": X-RateLimit-Limit, -Remaining, -Reset), else
 * `Retry-After` (seconds, RFC 9110).
 *
 * @example
 * rateLimitWait(new Headers({ "x-ratelimit-reset": "1700000060" }), 1_700_000_000_000); // 60000
 */
export function rateLimitWait(headers: Headers, now: number): number {
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (headers.has("x-ratelimit-reset") && Number.isFinite(reset) && reset > 0) {
    return Math.max(0, reset * 1000 - now) + 250; // past the edge of the window, not on it
  }
  const after = Number(headers.get("retry-after"));
  return headers.has("retry-after") && Number.isFinite(after) && after >= 0 ? after * 1000 : NaN;
}

/**
 * `fetch` with retries. Resolves with a 2xx response; throws an `IngestError` for 401/403 (bad
 * credentials, unless `refusal` names another cause), for other 4xx, when 5xx and network retries
 * run out, and when rate limiting lasts longer than the patience. A URL's `api_key`/`apikey`
 * parameter is never printed.
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  opts: RetryOptions,
): Promise<Response> {
  const attempts = opts.attempts ?? 5,
    base = opts.baseDelayMs ?? 500,
    max = opts.maxDelayMs ?? 30_000,
    rateMax = opts.rateLimitMaxDelayMs ?? 65_000,
    patience = opts.rateLimitPatienceMs ?? 300_000;
  const sleep = opts.sleep ?? defaultSleep, now = opts.now ?? Date.now;
  const shown = url.replace(/([?&](api_key|apikey)=)[^&]*/i, "$1***");
  let last = "", failures = 0, limited = 0, waited = 0;
  for (let tries = 1;; tries++) {
    let res: Response | undefined;
    try {
      res = await fetch(url, init);
    } catch (e) {
      last = `network error: ${(e as Error).message}`;
    }
    if (res?.ok) return res;
    let delay: number;
    if (res && res.status === 429) {
      await res.body?.cancel();
      last = "HTTP 429";
      limited++;
      const asked = rateLimitWait(res.headers, now());
      delay = Number.isNaN(asked)
        ? backoffDelay(limited, base, rateMax)
        : Math.min(rateMax, Math.max(asked, 0));
      if (waited + delay > patience) {
        throw new IngestError(
          `${opts.service} kept rate-limiting ${shown} (HTTP 429) for ${
            Math.round(waited / 1000)
          } s; try again later, or fewer symbols at a time`,
        );
      }
      waited += delay;
    } else {
      if (res) {
        const body = (await res.text()).slice(0, 300);
        if (res.status === 401 || res.status === 403) {
          throw opts.refusal?.(res.status, body, shown) ??
            new IngestError(
              `${opts.service} refused the credentials (HTTP ${res.status}) for ${shown}: ${body}`,
            );
        }
        if (res.status < 500) {
          throw new IngestError(
            `${opts.service} answered HTTP ${res.status} for ${shown}: ${body}`,
          );
        }
        last = `HTTP ${res.status}`;
      }
      if (++failures >= attempts) break;
      delay = backoffDelay(failures, base, max);
    }
    opts.onRetry?.(tries, delay, last);
    await sleep(delay);
  }
  throw new IngestError(
    `${opts.service}: giving up on ${shown} after ${attempts} attempts (${last})`,
  );
}
