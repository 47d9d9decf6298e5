/**
 * The Redis side of distributed sweeps: the URL a user gives, the ioredis client BullMQ is handed
 * (BullMQ 6 takes a constructed client; its blocking commands need `maxRetriesPerRequest: null`,
 * https://docs.bullmq.io/guide/connections), the queue's name and what a job carries.
 *
 * @module
 */
import type { CellSpec } from "../cell.ts";
import { QueueUrlError } from "../errors.ts";
import { lazyImport } from "../../lazy.ts";

/** The BullMQ queue every sweep enqueues on and every worker takes from. */
export const QUEUE_NAME = "harvester-sweep";

/**
 * A job: the cell (its strategy by hash), the strategy's source (the worker has no copy of the
 * file), and the cell's key (the job's id is `cell-<key>`, so a cell already queued or finished
 * is not queued twice).
 */
export interface CellJob {
  key: string;
  spec: CellSpec;
  source: string;
}

/** The job id of a cell key. */
export function jobId(key: string): string {
  return `cell-${key}`;
}

/**
 * Checks a `redis://HOST:PORT[/DB]` URL.
 *
 * @example
 * ```ts
 * checkRedisUrl("redis://127.0.0.1:6379"); // ok; "http://…" throws QueueUrlError
 * ```
 */
export function checkRedisUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueUrlError(`--queue: "${url}" is not a URL; use redis://HOST:PORT`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    throw new QueueUrlError(`--queue: "${url}" is not a redis:// URL; use redis://HOST:PORT`);
  }
  if (!u.hostname) throw new QueueUrlError(`--queue: "${url}" names no host`);
  return u;
}

/** How long the first contact with Redis may take before the command gives up. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A constructed ioredis client for BullMQ (loaded only when a queue is used), checked with a
 * PING: a Redis that cannot be reached at the start is an error naming the URL, where the client
 * alone would retry forever (as it rightly does for a connection lost later).
 */
export async function redisClient(url: string): Promise<import("ioredis").Redis> {
  checkRedisUrl(url);
  const { Redis } = await lazyImport<typeof import("ioredis")>("ioredis");
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  client.on("error", () => {}); // reported below or retried by the client; not a crash
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no answer")), CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (e) {
    client.disconnect();
    throw new QueueUrlError(
      `cannot reach Redis at ${url} (${
        (e as Error).message
      }); start redis-server there or check --queue`,
    );
  } finally {
    clearTimeout(timer);
  }
  return client;
}
