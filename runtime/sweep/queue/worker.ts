/**
 * `harvester worker`: a BullMQ worker that runs the cells it takes in processes of their own, as a
 * local sweep does. The strategy's source arrives with the job and is kept under
 * `$HARVESTER_ROOT/sweeps/strategies/<hash>.ts`; the bundle must be this machine's own copy of the
 * version the sweep pinned, or the cell is refused. A worker killed mid-cell loses nothing: its
 * claim (lock) runs out, another worker's stalled-job check puts the cell back on the queue.
 *
 * @module
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { listVersions } from "../../../bundles/mod.ts";
import { cellKey, resultJson, sha256 } from "../cell.ts";
import { BundleVersionMissingError } from "../errors.ts";
import { paramsLabel } from "../grid.ts";
import { ProcessPool } from "../process_pool.ts";
import { type CellJob, QUEUE_NAME, redisClient } from "./connection.ts";
import { lazyImport } from "../../lazy.ts";

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  url: string;
  /** Cells at a time. */
  concurrency: number;
  /** BullMQ's `lockDuration`: a claim not renewed for this long lapses. */
  lock_duration_ms: number;
  /** BullMQ's `stalledInterval`: how often lapsed claims are looked for. */
  stalled_interval_ms: number;
  memory_mb?: number;
  root: string;
  environ: Record<string, string | undefined>;
  /** One structured line per event. */
  log: (fields: Record<string, unknown>) => void;
  /** Resolves to stop (default: the first SIGINT or SIGTERM). */
  stop?: Promise<void>;
}

/** Writes a job's strategy source where this machine keeps it; returns the file. */
export function strategyFile(root: string, hash: string, source: string): string {
  if (sha256(source) !== hash) {
    throw new Error(`the job's strategy source does not match its hash ${hash.slice(0, 12)}`);
  }
  const dir = join(root, "sweeps", "strategies");
  const file = join(dir, `${hash}.ts`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
    writeFileSync(tmp, source);
    renameSync(tmp, file);
  }
  return file;
}

/** The first SIGINT/SIGTERM; a second one exits at once. */
function signalled(): Promise<void> {
  return new Promise((resolve) => {
    let count = 0;
    const on = () => {
      if (++count > 1) Deno.exit(130);
      resolve();
    };
    Deno.addSignalListener("SIGINT", on);
    Deno.addSignalListener("SIGTERM", on);
  });
}

/**
 * Serves cells until stopped.
 *
 * @example
 * ```ts
 * await runWorker({ url: "redis://127.0.0.1:6379", concurrency: 2, lock_duration_ms: 30_000,
 *   stalled_interval_ms: 30_000, root, environ: Deno.env.toObject(), log: console.log });
 * ```
 */
export async function runWorker(opts: WorkerOptions): Promise<void> {
  const { Worker } = await lazyImport<typeof import("bullmq")>("bullmq");
  const client = await redisClient(opts.url);
  const env = { ...opts.environ, HARVESTER_ROOT: opts.root };
  // One process per concurrent cell, kept between cells (their compiled code stays warm).
  const pool = new ProcessPool({
    env,
    memory_mb: opts.memory_mb,
    single_threaded: opts.concurrency >= availableParallelism(),
  });
  const worker = new Worker<CellJob, string>(
    QUEUE_NAME,
    async (job) => {
      const { spec, source } = job.data;
      const base = { job: job.id, params: paramsLabel(spec.params), attempt: job.attemptsMade + 1 };
      opts.log({ event: "cell_started", ...base });
      const { bundle, bundle_version } = spec.flags;
      const versions = listVersions(opts.root, bundle).map((v) => v.name);
      if (!versions.includes(bundle_version)) {
        const err = new BundleVersionMissingError(bundle, bundle_version, opts.root, versions);
        opts.log({ event: "cell_refused", ...base, error: err.message });
        throw err;
      }
      const path = strategyFile(opts.root, spec.strategy.hash, source);
      const local = { ...spec, strategy: { path, hash: spec.strategy.hash } };
      const outcome = await pool.run(local);
      if (!outcome.ok) {
        opts.log({ event: "cell_failed", ...base, error: outcome.error });
        throw new Error(outcome.error);
      }
      if (outcome.result.key !== job.data.key || cellKey(spec) !== job.data.key) {
        throw new Error("the cell's key does not match the job's: the job was altered");
      }
      opts.log({ event: "cell_finished", ...base, wall_ms: Math.round(outcome.result.wall_ms) });
      return resultJson(outcome.result);
    },
    {
      connection: client,
      concurrency: opts.concurrency,
      lockDuration: opts.lock_duration_ms,
      stalledInterval: opts.stalled_interval_ms,
    },
  );
  worker.on("error", (e) => opts.log({ event: "worker_error", error: String(e?.message ?? e) }));
  await worker.waitUntilReady();
  opts.log({ event: "ready", queue: QUEUE_NAME, concurrency: opts.concurrency, pid: Deno.pid });
  await (opts.stop ?? signalled());
  opts.log({ event: "stopping" });
  await worker.close();
  await pool.close();
  await client.quit().catch(() => client.disconnect());
}
