/**
 * HTTP for network ingesters, through the one retry loop (`runtime/net/retry.ts`): retries 5xx and
 * network failures with exponential backoff and jitter; waits out rate limiting (429) as the
 * server says — until `X-RateLimit-Reset` (Alpaca's header: the epoch second the window resets) or
 * for `Retry-After` — with patience enough for a whole rate window, without spending the attempts;
 * and turns refusals into one clear error.
 */
import { RetriesExhausted, retrying } from "../../runtime/net/retry.ts";
import { serverWaitMs } from "../../runtime/net/server_wait.ts";
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
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /** The clock, for X-RateLimit-Reset. @default Date.now */
  now?: () => number;
}

/** An answer worth asking again (429, 5xx), or a fetch that got none. */
class Unanswered extends Error {
  constructor(reason: string, readonly status?: number, readonly headers?: Headers) {
    super(reason);
  }
}

const isRateLimit = (e: unknown) => e instanceof Unanswered && e.status === 429;

/** One fetch: a 2xx, or a thrown `Unanswered` to retry, or the `IngestError` that ends it. */
async function fetchOnce(
  url: string,
  init: RequestInit,
  shown: string,
  opts: RetryOptions,
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new Unanswered(`network error: ${(e as Error).message}`);
  }
  if (res.ok) return res;
  if (res.status === 429) {
    await res.body?.cancel();
    throw new Unanswered("HTTP 429", 429, res.headers);
  }
  const body = (await res.text()).slice(0, 300);
  if (res.status === 401 || res.status === 403) {
    throw opts.refusal?.(res.status, body, shown) ??
      new IngestError(
        `${opts.service} refused the credentials (HTTP ${res.status}) for ${shown}: ${body}`,
      );
  }
  if (res.status < 500) {
    throw new IngestError(`${opts.service} answered HTTP ${res.status} for ${shown}: ${body}`);
  }
  throw new Unanswered(`HTTP ${res.status}`, res.status);
}

/**
 * `fetch` with retries (`runtime/net/retry.ts`). Resolves with a 2xx response; throws an
 * `IngestError` for 401/403 (bad credentials, unless `refusal` names another cause), for other
 * 4xx, when 5xx and network retries run out, and when rate limiting lasts longer than the
 * patience. A URL's `api_key`/`apikey` parameter is never printed.
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  opts: RetryOptions,
): Promise<Response> {
  const attempts = opts.attempts ?? 5, now = opts.now ?? Date.now;
  const shown = url.replace(/([?&](api_key|apikey)=)[^&]*/i, "$1***");
  try {
    return await retrying(shown, () => fetchOnce(url, init, shown, opts), {
      attempts,
      baseDelayMs: opts.baseDelayMs ?? 500,
      maxDelayMs: opts.maxDelayMs ?? 30_000,
      retryable: (e) => e instanceof Unanswered,
      // The wait a 429 asks for; a 5xx's Retry-After is not waited out (backoff instead).
      serverWait: (e) =>
        isRateLimit(e) ? serverWaitMs((e as Unanswered).headers!, now()) : undefined,
      rateLimited: {
        is: isRateLimit,
        maxDelayMs: opts.rateLimitMaxDelayMs ?? 65_000,
        patienceMs: opts.rateLimitPatienceMs ?? 300_000,
      },
      sleep: opts.sleep,
      random: opts.random,
      onRetry: opts.onRetry &&
        ((r) => opts.onRetry!(r.attempt, r.delayMs, (r.error as Error).message)),
    });
  } catch (e) {
    if (!(e instanceof RetriesExhausted)) throw e;
    const last = (e.cause as Error).message;
    throw new IngestError(
      e.reason === "patience"
        ? `${opts.service} kept rate-limiting ${shown} (${last}) for ${
          Math.round(e.waitedMs / 1000)
        } s; try again later, or fewer symbols at a time`
        : `${opts.service}: giving up on ${shown} after ${attempts} attempts (${last})`,
      {},
      { cause: e.cause },
    );
  }
}
