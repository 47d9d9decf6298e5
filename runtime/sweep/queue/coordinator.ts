/**
 * `harvester sweep --queue`: enqueues each missing cell as a BullMQ job (tried twice: a failure is
 * retried once, possibly by another worker) and collects results as workers finish them. Events
 * (QueueEvents) say when to look; a periodic look at every pending job catches anything an event
 * did not say (a coordinator that started after the job finished, a dropped connection).
 *
 * @module
 */
import type { Job, Queue, QueueEvents } from "bullmq";
import { cellKey, type CellSpec, parseResult } from "../cell.ts";
import { ATTEMPTS, type ExecutorListener } from "../executor.ts";
import type { OpenExecutor } from "../sweep.ts";
import { type CellJob, jobId, QUEUE_NAME, redisClient } from "./connection.ts";
import { lazyImport } from "../../lazy.ts";

/** How often every pending job is looked at, besides the events. */
const POLL_MS = 2_000;

/** Options of the queue executor. */
export interface QueueExecutorOptions {
  /** Run cells again even when their finished job is still on the queue. */
  no_cache?: boolean;
}

/**
 * An executor whose cells run on `harvester worker`s through Redis.
 *
 * @example
 * ```ts
 * const open = await queueExecutor("redis://127.0.0.1:6379", source);
 * try { await open.executor.run(cells, listener); } finally { await open.close(); }
 * ```
 */
export async function queueExecutor(
  url: string,
  source: string,
  opts: QueueExecutorOptions = {},
): Promise<OpenExecutor> {
  const { Job, Queue, QueueEvents } = await lazyImport<typeof import("bullmq")>("bullmq");
  const clients = [await redisClient(url), await redisClient(url)];
  const queue = new Queue(QUEUE_NAME, { connection: clients[0] });
  const events = new QueueEvents(QUEUE_NAME, { connection: clients[1] });
  return {
    executor: {
      run: (cells, listener) => collect(Job, queue, events, cells, source, listener, opts),
    },
    async close() {
      await events.close();
      await queue.close();
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

async function collect(
  JobClass: typeof Job,
  queue: Queue,
  events: QueueEvents,
  cells: readonly CellSpec[],
  source: string,
  listener: ExecutorListener,
  opts: QueueExecutorOptions,
): Promise<void> {
  if (cells.length === 0) return;
  const pending = new Map<string, number>();
  const started = new Set<string>();
  const retried = new Set<string>();
  let finish!: () => void;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const start = (id: string) => {
    if (started.has(id)) return;
    started.add(id);
    listener.started(pending.get(id)!);
  };
  const settle = (id: string, outcome: Parameters<ExecutorListener["finished"]>[1]) => {
    const i = pending.get(id);
    if (i === undefined) return;
    start(id);
    pending.delete(id);
    listener.finished(i, outcome);
    if (pending.size === 0) finish();
  };
  // One look at a job: collect it when it has ended, note a start or a retry otherwise.
  const look = async (id: string) => {
    if (!pending.has(id)) return;
    // The state first, then the job: a job read before it completed would show no result.
    const state = await queue.getJobState(id);
    if (state === "unknown") return;
    const job = await JobClass.fromId(queue, id);
    if (!job || !pending.has(id)) return;
    if (state === "completed") {
      settle(id, { ok: true, result: parseResult(job.returnvalue as string) });
      await job.remove().catch(() => {});
    } else if (state === "failed") {
      settle(id, { ok: false, error: job.failedReason ?? "failed" });
      await job.remove().catch(() => {});
    } else {
      if (state === "active") start(id);
      if (job.attemptsMade > 0 && !retried.has(id)) {
        retried.add(id);
        listener.retrying(pending.get(id)!, job.failedReason ?? "failed");
      }
    }
  };
  const onEvent = ({ jobId }: { jobId: string }) => void look(jobId).catch(() => {});
  events.on("active", onEvent);
  events.on("completed", onEvent);
  events.on("failed", onEvent);
  await events.waitUntilReady();

  const fresh: { name: string; data: CellJob; opts: Record<string, unknown> }[] = [];
  for (const [i, spec] of cells.entries()) {
    const key = cellKey(spec), id = jobId(key);
    pending.set(id, i);
    const existing = await JobClass.fromId(queue, id);
    if (existing) {
      const state = await existing.getState();
      // A failed job (an earlier sweep's) runs again; a finished one is collected as it is,
      // unless everything is to be computed again; a queued or running one is waited for.
      const again = state === "failed" || (opts.no_cache && state === "completed");
      if (!again) continue;
      await existing.remove();
    }
    fresh.push({
      name: "cell",
      data: { key, spec, source },
      opts: { jobId: id, attempts: ATTEMPTS, removeOnComplete: false, removeOnFail: false },
    });
  }
  if (fresh.length) await queue.addBulk(fresh);
  const poll = setInterval(() => {
    for (const id of pending.keys()) void look(id).catch(() => {});
  }, POLL_MS);
  try {
    for (const id of [...pending.keys()]) await look(id);
    await allDone;
  } finally {
    clearInterval(poll);
    events.off("active", onEvent);
    events.off("completed", onEvent);
    events.off("failed", onEvent);
  }
}
