/**
 * Sweeps across processes on a real Redis (Debian's `redis-server`, started here on a free
 * 127.0.0.1 port) with two `harvester worker` processes: the results equal a local sweep's, also
 * when the worker running a cell is killed with SIGKILL mid-cell (BullMQ's stalled-job check
 * hands the cell to the other worker once the dead one's lock lapses, https://docs.bullmq.io/
 * guide/workers/stalled-jobs); and a worker without the sweep's bundle version refuses the cell.
 * Skips without redis-server, except under CI (`.ci/run` installs it).
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";
import { IN_CI } from "../report/helpers.ts";
import {
  collect,
  harvester,
  hasRedis,
  readCsv,
  spawnHarvester,
  startRedis,
  waitFor,
} from "./helpers.ts";

const available = hasRedis();
if (!available && !IN_CI) {
  console.warn(
    "skipping the Redis sweep tests: redis-server is not installed (apt-get install redis-server)",
  );
}

const STRATEGY = "test/fixtures/sweep/gated.ts";

interface RunningWorker {
  proc: Deno.ChildProcess;
  out: ReturnType<typeof collect>;
  events: () => Record<string, unknown>[];
}

function startWorker(url: string, root: string): RunningWorker {
  const proc = spawnHarvester([
    "worker",
    "--queue",
    url,
    "--concurrency",
    "1",
    "--lock-duration",
    "2000",
    "--stalled-interval",
    "1000",
  ], { HARVESTER_ROOT: root });
  const out = collect(proc.stdout);
  collect(proc.stderr);
  const events = () => out.text().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  return { proc, out, events };
}

async function stop(w: RunningWorker, signal: Deno.Signal = "SIGKILL"): Promise<void> {
  try {
    w.proc.kill(signal);
  } catch { /* already gone */ }
  await w.proc.status;
}

/** The worker's event is about the gated cell (n=2; its label lists every parameter). */
const isGated = (e: Record<string, unknown>) => /(^|,)n=2(,|$)/.test(String(e.params));

/** The table without the wall time (which differs run to run). */
const numbers = (rows: Record<string, string>[]) => rows.map(({ wall_time_s: _, ...rest }) => rest);

describe.skipIf(!available && !IN_CI)("sweeps on Redis with BullMQ", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const root = tempRoot(), dir = tempRoot("hv-queue-");
  const release = join(dir, "release");
  const args = (out: string) => [
    "sweep",
    STRATEGY,
    "-s",
    "2010-01-01",
    "-e",
    "2010-06-30",
    "--no-benchmark",
    "--grid",
    "n=1,2,3,4",
    "-D",
    "gate=2",
    "-D",
    `release=${release}`,
    "-o",
    join(dir, out),
  ];
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    expect(available, "redis-server is not installed (apt-get install redis-server)").toBe(true);
    redis = await startRedis();
  }, 30_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stop(w)));
    await redis?.stop();
  });

  test("two workers give the local sweep's table, also when one is killed mid-cell", async () => {
    writeFileSync(release, "");
    const local = await harvester([...args("local.csv"), "--workers", "2"], {
      HARVESTER_ROOT: root,
    });
    expect(local.code, local.stderr).toBe(0);
    rmSync(release);

    const a = startWorker(redis.url, root), b = startWorker(redis.url, root);
    workers.push(a, b);
    await waitFor(
      "both workers ready",
      () => [a, b].every((w) => w.events().some((e) => e.event === "ready")),
    );
    const sweep = spawnHarvester([...args("queue.csv"), "--queue", redis.url, "--no-cache"], {
      HARVESTER_ROOT: root,
    });
    const sweepErr = collect(sweep.stderr), sweepOut = collect(sweep.stdout);
    const timer = setTimeout(() => sweep.kill("SIGKILL"), 90_000);
    try {
      // The gated cell (n=2) holds its worker until released: kill that worker mid-cell.
      const holds = (w: RunningWorker) =>
        w.events().some((e) => e.event === "cell_started" && isGated(e));
      await waitFor("a worker to start the gated cell", () => holds(a) || holds(b));
      const victim = holds(a) ? a : b, survivor = victim === a ? b : a;
      await stop(victim, "SIGKILL");
      writeFileSync(release, "");
      const status = await sweep.status;
      await Promise.all([sweepErr.done, sweepOut.done]);
      expect(status.code, sweepErr.text()).toBe(0);
      expect(sweepOut.text()).toMatch(/4 cells \(0 from the cache, 0 failed\)/);
      expect(numbers(readCsv(join(dir, "queue.csv")))).toEqual(
        numbers(readCsv(join(dir, "local.csv"))),
      );
      // The survivor ran the killed worker's cell after BullMQ found it stalled.
      await waitFor(
        "the survivor's log of the gated cell",
        () => survivor.events().some((e) => e.event === "cell_finished" && isGated(e)),
        10_000,
      );
      expect(victim.events().some((e) => e.event === "cell_finished" && isGated(e))).toBe(false);
    } finally {
      clearTimeout(timer);
      try {
        sweep.kill("SIGKILL");
      } catch { /* it has ended */ }
    }
    await Promise.all([a, b].map((w) => stop(w, "SIGTERM")));
    expect(a.events().at(-1)?.event === "stopping" || b.events().at(-1)?.event === "stopping").toBe(
      true,
    );
  }, 150_000);

  test("a worker without the bundle version refuses the cell; the sweep reports it", async () => {
    const bare = startWorker(redis.url, tempRoot("hv-bare-root-"));
    workers.push(bare);
    await waitFor("the worker ready", () => bare.events().some((e) => e.event === "ready"));
    const r = await harvester(
      [...args("refused.csv"), "--queue", redis.url, "--no-cache", "--grid", "weight=0.1"],
      { HARVESTER_ROOT: root },
      90_000,
    );
    expect(r.code).toBe(1);
    const rows = readCsv(join(dir, "refused.csv"));
    expect(rows.length).toBe(4);
    for (const row of rows) {
      expect(row.error).toMatch(/bundle zipline-examples version .* is not under/);
      expect(row.portfolio_value).toBe("");
    }
    // Tried twice each: refused twice each.
    expect(bare.events().filter((e) => e.event === "cell_refused").length).toBe(8);
    await stop(bare, "SIGTERM");
  }, 120_000);
});
