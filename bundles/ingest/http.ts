/**
 * HTTP for network ingesters: retries 429 (honouring Retry-After) and 5xx with exponential
 * backoff and jitter, and turns bad credentials into one clear error.
 */
import { IngestError } from "../errors.ts";

export interface RetryOptions {
  /** Attempts in all, including the first. @default 5 */
  attempts?: number;
  /** First backoff delay in ms; doubles each retry. @default 500 */
  baseDelayMs?: number;
  /** Cap on one delay. @default 30000 */
  maxDelayMs?: number;
  /** Name of the service, for messages. */
  service: string;
  /** Called before each retry (for progress notes). */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
  /** Waits; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
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
 * `fetch` with retries. Resolves with a 2xx response; throws an `IngestError` for 401/403 (bad
 * credentials), for other 4xx, and when retries run out. A URL's `api_key`/`apikey` parameter is
 * never printed.
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  opts: RetryOptions,
): Promise<Response> {
  const attempts = opts.attempts ?? 5,
    base = opts.baseDelayMs ?? 500,
    max = opts.maxDelayMs ?? 30_000;
  const sleep = opts.sleep ?? defaultSleep;
  const shown = url.replace(/([?&](api_key|apikey)=)[^&]*/i, "$1***");
  let last = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let res: Response | undefined;
    try {
      res = await fetch(url, init);
    } catch (e) {
      last = `network error: ${(e as Error).message}`;
    }
    if (res) {
      if (res.ok) return res;
      const body = (await res.text()).slice(0, 300);
      if (res.status === 401 || res.status === 403) {
        throw new IngestError(
          `${opts.service} refused the credentials (HTTP ${res.status}) for ${shown}: ${body}`,
        );
      }
      if (res.status !== 429 && res.status < 500) {
        throw new IngestError(`${opts.service} answered HTTP ${res.status} for ${shown}: ${body}`);
      }
      last = `HTTP ${res.status}`;
      if (attempt < attempts) {
        const retryAfter = Number(res.headers.get("retry-after"));
        const delay = Number.isFinite(retryAfter) && retryAfter > 0
          ? Math.min(max, retryAfter * 1000)
          : backoffDelay(attempt, base, max);
        opts.onRetry?.(attempt, delay, last);
        await sleep(delay);
        continue;
      }
    } else if (attempt < attempts) {
      const delay = backoffDelay(attempt, base, max);
      opts.onRetry?.(attempt, delay, last);
      await sleep(delay);
      continue;
    }
  }
  throw new IngestError(
    `${opts.service}: giving up on ${shown} after ${attempts} attempts (${last})`,
  );
}
