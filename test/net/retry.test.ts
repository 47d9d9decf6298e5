/**
 * The one retry module (runtime/net/): the backoff table, its cap and jitter, a server's own wait
 * (Retry-After in both RFC 9110 forms, X-RateLimit-Reset), and the `retrying` loop — giving up
 * with the facts, rate limits that do not spend attempts, reconnects that wait first and run until
 * aborted. Sleeps are recorded, never slept.
 */
import { describe, expect, test } from "vitest";
import {
  backoffDelay,
  RetriesExhausted,
  retryDelay,
  retrying,
  type RetryNote,
  type RetryPolicy,
} from "../../runtime/net/retry.ts";
import { httpDate, retryAfterMs, serverWaitMs } from "../../runtime/net/server_wait.ts";

const mid = () => 0.5;

/** A policy whose waits are recorded and resolve at once. */
function recorded(over: Partial<RetryPolicy> = {}) {
  const sleeps: number[] = [], notes: RetryNote[] = [];
  const policy: RetryPolicy = {
    attempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    random: mid,
    sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
    onRetry: (n) => notes.push(n),
    ...over,
  };
  return { policy, sleeps, notes };
}

/** A call that fails with `errors` in turn, then answers "ok"; counts its calls. */
function flaky(...errors: unknown[]) {
  const state = { calls: 0 };
  const call = () => {
    const e = errors[state.calls++];
    return e === undefined ? Promise.resolve("ok") : Promise.reject(e);
  };
  return { call, state };
}

describe("backoffDelay", () => {
  test("doubles from the base up to the cap; random 0.5 is the nominal table", () => {
    const table = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, 500, 30_000, mid));
    expect(table).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  test("jitter spans half to one and a half times the delay, and never passes the cap", () => {
    expect(backoffDelay(3, 500, 30_000, () => 0)).toBe(1000);
    expect(backoffDelay(3, 500, 30_000, () => 0.999)).toBe(2998);
    for (let i = 0; i < 200; i++) {
      const r = i / 200, d = backoffDelay(4, 500, 30_000, () => r);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThan(6000);
      expect(backoffDelay(7, 500, 30_000, () => r)).toBeLessThanOrEqual(30_000);
    }
    expect(backoffDelay(7, 500, 30_000, () => 0)).toBe(15_000); // at the cap: [max/2, max]
  });

  test("a reconnect's thousandth attempt is the cap; a zero base stays zero, never NaN", () => {
    expect(backoffDelay(2000, 1000, 30_000, mid)).toBe(30_000);
    expect(backoffDelay(2000, 0, 30_000, mid)).toBe(0);
  });

  test("retryDelay: the server's wait when it gave one, clamped to [0, max]", () => {
    const b = { baseDelayMs: 500, maxDelayMs: 30_000 };
    expect(retryDelay(2, b, mid)).toBe(1000);
    expect(retryDelay(2, b, mid, 2000)).toBe(2000);
    expect(retryDelay(2, b, mid, 90_000)).toBe(30_000);
    expect(retryDelay(2, b, mid, -5)).toBe(0);
  });
});

describe("a server's wait", () => {
  const now = Date.parse("2015-10-21T07:27:00Z");

  test("Retry-After in delay-seconds (digits only)", () => {
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
    for (const bad of ["1.5", "-3", "soon", "", null]) {
      expect(retryAfterMs(bad, now)).toBe(undefined);
    }
  });

  test("Retry-After as an HTTP-date: IMF-fixdate, rfc850 and asctime, all GMT", () => {
    // RFC 9110 §10.2.3's own example, a minute after `now`.
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:00 GMT", now)).toBe(60_000);
    expect(retryAfterMs("Wednesday, 21-Oct-15 07:28:00 GMT", now)).toBe(60_000);
    expect(retryAfterMs("Wed Oct 21 07:28:00 2015", now)).toBe(60_000);
    expect(httpDate("Sun Nov  6 08:49:37 1994", now)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(retryAfterMs("Wed, 21 Oct 2015 07:00:00 GMT", now)).toBe(0); // already past
    expect(retryAfterMs("Wed, 21 Foo 2015 07:28:00 GMT", now)).toBe(undefined);
  });

  test("rfc850's two-digit year: more than 50 years ahead means the century before", () => {
    expect(httpDate("Sunday, 06-Nov-94 08:49:37 GMT", now)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(httpDate("Monday, 06-Nov-45 08:49:37 GMT", now)).toBe(Date.UTC(2045, 10, 6, 8, 49, 37));
  });

  test("X-RateLimit-Reset first (a quarter second past the window), else Retry-After", () => {
    const reset = String(now / 1000 + 60);
    expect(serverWaitMs(new Headers({ "x-ratelimit-reset": reset, "retry-after": "5" }), now))
      .toBe(60_250);
    expect(serverWaitMs(new Headers({ "retry-after": "5" }), now)).toBe(5000);
    expect(serverWaitMs(new Headers({ "x-ratelimit-reset": "0", "retry-after": "5" }), now))
      .toBe(5000);
    expect(serverWaitMs(new Headers(), now)).toBe(undefined);
  });
});

describe("retrying", () => {
  test("retries with backoff until the call succeeds, telling onRetry each time", async () => {
    const { policy, sleeps, notes } = recorded();
    const a = new Error("HTTP 503"), b = new Error("HTTP 502");
    const { call, state } = flaky(a, b);
    expect(await retrying("GET /x", call, policy)).toBe("ok");
    expect(state.calls).toBe(3);
    expect(sleeps).toEqual([500, 1000]);
    expect(notes).toEqual([
      { what: "GET /x", attempt: 1, delayMs: 500, error: a },
      { what: "GET /x", attempt: 2, delayMs: 1000, error: b },
    ]);
  });

  test("a failure that cannot pass on another try is thrown as it is, without waiting", async () => {
    const { policy, sleeps } = recorded({ retryable: (e) => (e as Error).message !== "401" });
    const refused = new Error("401");
    const { call, state } = flaky(new Error("503"), refused);
    await expect(retrying("GET /x", call, policy)).rejects.toBe(refused);
    expect([state.calls, sleeps]).toEqual([2, [500]]);
  });

  test("gives up after `attempts` tries with the facts and the last failure as cause", async () => {
    const { policy, sleeps } = recorded({ attempts: 3 });
    const last = new Error("HTTP 500");
    const { call, state } = flaky(new Error("HTTP 503"), new Error("HTTP 502"), last);
    const e = await retrying("GET /v2/positions", call, policy).catch((x) => x);
    expect(e).toBeInstanceOf(RetriesExhausted);
    expect(e).toMatchObject({ what: "GET /v2/positions", attempts: 3, reason: "attempts" });
    expect(e.waitedMs).toBe(1500);
    expect(e.cause).toBe(last);
    expect(e.message).toMatch(/GET \/v2\/positions: gave up after 3 attempt\(s\).*HTTP 500.*later/);
    expect([state.calls, sleeps]).toEqual([3, [500, 1000]]); // no wait after the last try
  });

  test("a server's wait replaces the backoff (capped); the backoff goes on by attempt", async () => {
    const asked = (ms: number) => Object.assign(new Error("HTTP 429"), { waitMs: ms });
    const { policy, sleeps } = recorded({
      maxDelayMs: 8000,
      serverWait: (e) => (e as { waitMs?: number }).waitMs,
    });
    const { call } = flaky(asked(2000), new Error("503"), asked(60_000), new Error("503"));
    await retrying("GET /x", call, policy);
    expect(sleeps).toEqual([2000, 1000, 8000, 4000]);
  });

  test("rate limits are waited out without spending attempts, until the patience ends", async () => {
    const limited = new Error("HTTP 429"), is = (e: unknown) => e === limited;
    const rateLimited = { is, maxDelayMs: 65_000, patienceMs: 200_000 };
    const serverWait = (e: unknown) => is(e) ? 61_000 : undefined; // until the next window
    const { policy, sleeps } = recorded({ attempts: 2, rateLimited, serverWait });
    // Three 429s and a 503 with 2 attempts: only the 503 spends one.
    const { call, state } = flaky(limited, limited, new Error("503"), limited);
    expect(await retrying("GET /bars", call, policy)).toBe("ok");
    expect([state.calls, sleeps]).toEqual([5, [61_000, 61_000, 500, 61_000]]);

    const never = recorded({ attempts: 2, rateLimited, serverWait });
    const e = await retrying("GET /bars", () => Promise.reject(limited), never.policy)
      .catch((x) => x);
    expect(e).toBeInstanceOf(RetriesExhausted);
    expect(e).toMatchObject({ reason: "patience", attempts: 4, waitedMs: 183_000 });
    expect(never.sleeps).toEqual([61_000, 61_000, 61_000]); // a fourth would pass 200 s
  });

  test("a rate limit that does not say how long backs off up to its own cap", async () => {
    const limited = new Error("HTTP 429");
    const rateLimited = { is: (e: unknown) => e === limited, maxDelayMs: 1500, patienceMs: 1e6 };
    const { policy, sleeps } = recorded({ rateLimited });
    await retrying("GET /x", flaky(limited, limited, limited).call, policy);
    expect(sleeps).toEqual([500, 1000, 1500]);
  });

  test("waitFirst: a reconnect waits before its first try, and the table goes on from there", async () => {
    const { policy, sleeps, notes } = recorded({ waitFirst: true, baseDelayMs: 1000 });
    const { call } = flaky(new Error("refused"), new Error("refused"));
    await retrying("stream", call, policy);
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(notes.map((n) => [n.attempt, n.delayMs])).toEqual([[1, 2000], [2, 4000]]);
  });

  test("attempts 0 retries forever, until the signal aborts", async () => {
    const stop = new AbortController();
    const { policy, sleeps } = recorded({
      attempts: 0,
      signal: stop.signal,
      onRetry: (n) => n.attempt === 50 && stop.abort(new Error("stopped")),
    });
    let calls = 0;
    const never = () => (calls++, Promise.reject(new Error("ECONNREFUSED")));
    await expect(retrying("stream", never, policy)).rejects.toThrow("stopped");
    expect(calls).toBe(50); // no try after the abort
    expect(sleeps.at(-1)).toBe(30_000);
  });

  test("an abort cuts a wait short; an aborted signal never tries", async () => {
    const stop = new AbortController();
    let calls = 0;
    const held = retrying("stream", () => (calls++, Promise.reject(new Error("down"))), {
      attempts: 0,
      baseDelayMs: 1000,
      maxDelayMs: 30_000,
      signal: stop.signal,
      sleep: () => {
        queueMicrotask(() => stop.abort(new Error("stopped"))); // stopped while waiting
        return new Promise<void>(() => {}); // a wait that would never end
      },
    });
    await expect(held).rejects.toThrow("stopped");
    expect(calls).toBe(1);
    await expect(
      retrying("x", () => Promise.resolve(1), { ...recorded().policy, signal: stop.signal }),
    )
      .rejects.toThrow("stopped");
  });
});
