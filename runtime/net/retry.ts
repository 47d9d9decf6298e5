/**
 * Retrying for every network client (the ingest's HTTP, Alpaca's REST and streams, the TWS
 * connection): one backoff, one loop. The delay before retry n is `base · 2^(n-1)`, capped at
 * `max`, with ±50 % jitter. Why jitter: AWS Architecture Blog, "Exponential Backoff And Jitter"
 * (Marc Brooker, 2015) shows clients that back off without it retrying in lock-step. Why not its
 * "Full Jitter" (uniform in [0, d]), which did a little less work in its simulation of many
 * contending clients: our clients are one session against one server, where a floor matters more
 * — ±50 % never retries sooner than half the delay (like its "Equal Jitter"), and its mean is the
 * nominal table, so the documented delays stay true on average and `random = () => 0.5` gives
 * the table exactly in tests. The cap holds after the jitter too (a `maxDelayMs` is a maximum).
 *
 * A server's own wait (Retry-After, X-RateLimit-Reset; see `server_wait.ts`) replaces the backoff.
 * Everything that waits or draws is injected (`sleep`, `random`), so tests never sleep for real.
 */
import { HarvesterError } from "../errors.ts";

/**
 * Delay before retry `attempt` (1-based): `base · 2^(attempt-1)` capped at `max`, times a jitter
 * factor in [0.5, 1.5) from `random`, and capped at `max` again.
 *
 * @example
 * backoffDelay(3, 500, 30_000, () => 0.5); // 2000
 * backoffDelay(9, 500, 30_000, () => 0.99); // 30000 (the cap holds after the jitter)
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  // The exponent stops growing long after any cap is reached (a 0 base times 2^1024 is NaN).
  const nominal = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.min(maxMs, Math.round(nominal * (0.5 + random())));
}

/**
 * The wait before retry `attempt`: what the server asked for (`askedMs`, clamped to [0, max]) when
 * it said, else the backoff.
 *
 * @example
 * retryDelay(2, { baseDelayMs: 500, maxDelayMs: 30_000 }, () => 0.5); // 1000
 * retryDelay(2, { baseDelayMs: 500, maxDelayMs: 30_000 }, () => 0.5, 2000); // 2000
 */
export function retryDelay(
  attempt: number,
  backoff: { baseDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
  askedMs?: number,
): number {
  const { baseDelayMs: base, maxDelayMs: max } = backoff;
  return askedMs === undefined
    ? backoffDelay(attempt, base, max, random)
    : Math.min(max, Math.max(0, askedMs));
}

/** One failed try about to be retried, as `onRetry` is told. */
export interface RetryNote {
  what: string;
  /** Tries made so far (the one that just failed included). */
  attempt: number;
  /** The wait before the next try. */
  delayMs: number;
  error: unknown;
}

/** How `retrying` tries again. */
export interface RetryPolicy {
  /** Tries in all, the first included; 0: until `signal` aborts (a stream's reconnects). */
  attempts: number;
  /** The first backoff delay (ms), doubled each retry. */
  baseDelayMs: number;
  /** The longest backoff delay, and the longest wait a server may ask for (ms). */
  maxDelayMs: number;
  /** Wait the first delay before the first try too (a reconnect right after a drop). */
  waitFirst?: boolean;
  /** Whether another try may succeed; other failures are thrown at once. @default every one */
  retryable?: (error: unknown) => boolean;
  /** How long the server asked to wait after this failure (ms), undefined when it did not say. */
  serverWait?: (error: unknown) => number | undefined;
  /**
   * A server slowing us down (HTTP 429) rather than failing: `is` picks those failures; they do
   * not spend `attempts`, each wait is capped at `maxDelayMs` (a whole rate window), and they are
   * waited out for `patienceMs` in all before giving up.
   */
  rateLimited?: { is: (error: unknown) => boolean; maxDelayMs: number; patienceMs: number };
  /** Stops the retries (the next try or wait rejects with the signal's reason). */
  signal?: AbortSignal;
  /** @default a real timer */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /** Told before each wait that follows a failure. */
  onRetry?: (note: RetryNote) => void;
}

/** Retries that ran out; `cause` is the last failure. */
export class RetriesExhausted extends HarvesterError {
  override name = "RetriesExhausted";
  constructor(
    readonly what: string,
    /** Tries made. */
    readonly attempts: number,
    /** Time spent waiting between them (ms). */
    readonly waitedMs: number,
    /** `attempts`: the tries ran out; `patience`: a rate limit outlasted `patienceMs`. */
    readonly reason: "attempts" | "patience",
    cause: unknown,
  ) {
    const last = cause instanceof Error ? cause.message : String(cause);
    super(
      `${what}: gave up after ${attempts} attempt(s) and ${Math.round(waitedMs / 1000)} s of ` +
        `waiting (${reason === "patience" ? "still rate-limited" : "last"}: ${last}); ` +
        "the service may be down or overloaded, try again later",
      { cause },
    );
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `sleep`, cut short (rejecting with the reason) when `signal` aborts. */
function pause(ms: number, sleep: (ms: number) => Promise<void>, signal?: AbortSignal) {
  if (!signal) return sleep(ms);
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener("abort", stop, { once: true });
    sleep(ms).then(() => {
      signal.removeEventListener("abort", stop);
      resolve();
    }, reject);
  });
}

/**
 * Runs `call` until it succeeds. A failure that is not `retryable` is thrown as it is; when the
 * tries (or a rate limit's patience) run out, `RetriesExhausted` carries the facts and the last
 * failure as its `cause`; an aborted `signal` rejects with its reason.
 *
 * @example
 * const account = await retrying("GET /v2/account", () => api.getAccount(), {
 *   attempts: 5,
 *   baseDelayMs: 500,
 *   maxDelayMs: 30_000,
 *   retryable: (e) => !(e instanceof AuthError),
 * });
 */
export async function retrying<T>(
  what: string,
  call: () => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  const { attempts, signal, rateLimited } = policy;
  const sleep = policy.sleep ?? realSleep, random = policy.random ?? Math.random;
  // Failures count the backoff; a wait before the first try is the first step of it.
  const first = policy.waitFirst ? 1 : 0;
  let tries = 0, failures = 0, limited = 0, waited = 0, limitedWaited = 0;
  if (first) {
    const delay = backoffDelay(1, policy.baseDelayMs, policy.maxDelayMs, random);
    await pause(delay, sleep, signal);
    waited += delay;
  }
  for (;;) {
    signal?.throwIfAborted();
    tries++;
    try {
      return await call();
    } catch (error) {
      signal?.throwIfAborted(); // a failure after a stop is not retried
      if (policy.retryable && !policy.retryable(error)) throw error;
      const asked = policy.serverWait?.(error);
      let delay: number;
      if (rateLimited?.is(error)) {
        const cap = { baseDelayMs: policy.baseDelayMs, maxDelayMs: rateLimited.maxDelayMs };
        delay = retryDelay(++limited, cap, random, asked);
        if (limitedWaited + delay > rateLimited.patienceMs) {
          throw new RetriesExhausted(what, tries, waited, "patience", error);
        }
        limitedWaited += delay;
      } else {
        if (++failures >= attempts && attempts > 0) {
          throw new RetriesExhausted(what, tries, waited, "attempts", error);
        }
        delay = retryDelay(failures + first, policy, random, asked);
      }
      policy.onRetry?.({ what, attempt: tries, delayMs: delay, error });
      await pause(delay, sleep, signal);
      waited += delay;
    }
  }
}
