/**
 * What a user runs (issue 16): `harvester backtest` of the strategy written as a zipline user
 * writes it (`bench/strategies/dual_sma_zipline.ts`), 100 × 2,520, `-o perf.csv` with every side
 * table, each run a cold process. Prints the whole process and its time split (`--timings`), the
 * same strategy's simulation in a warm process, and backtrader beside it when `BACKTRADER_PATH`
 * names a backtrader work tree.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BENCH_DATA, dailyDataset } from "./data.ts";
import { benchBundle, cliBacktest, stats } from "./engine.ts";
import { report } from "./harness.ts";
import { outputThread } from "../runtime/engine/output_stream.ts";
import { userRun, warmRun } from "./writers.ts";

const BARS = 100 * 2520;

/**
 * One cold `harvester backtest … -o perf.csv --timings`: its parts in ms. `thread`: the side
 * tables written on a thread of their own while it runs, or at the end (`output_stream.ts`);
 * unset, as the machine's cores decide.
 */
function coldRun(bundle: string, out: string, thread?: "on" | "off"): Record<string, number> {
  const err = cliBacktest(
    "bench/strategies/dual_sma_zipline.ts",
    bundle,
    ["-o", out, "--timings"],
    thread ? { HARVESTER_OUTPUT_THREAD: thread } : {},
  );
  const line = err.split("\n").find((l) => l.startsWith("timings: "))!;
  return Object.fromEntries(
    line.slice(9).split(" · ").map((p) => {
      const m = /^(.+) ([\d,]+) ms$/.exec(p)!;
      return [m[1], Number(m[2].replaceAll(",", ""))];
    }),
  );
}

/** backtrader on the same data, or undefined without a work tree. */
function backtrader(): { seconds: number; bars: number; orders: number } | undefined {
  const path = Deno.env.get("BACKTRADER_PATH");
  if (!path) return undefined;
  const r = new Deno.Command(Deno.env.get("PYTHON") ?? "python3", {
    args: ["bench/peers/backtrader_sma.py", join(BENCH_DATA, "a100_d2520")],
    // As its users run it: without the C library tunable `deno task bench` starts with
    // (runtime/process_env.ts).
    env: { PYTHONPATH: path, GLIBC_TUNABLES: "" },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  if (!r.success) throw new Error(new TextDecoder().decode(r.stderr));
  return JSON.parse(new TextDecoder().decode(r.stdout).trim().split("\n").pop()!);
}

export async function benchUserProcess(): Promise<void> {
  console.log(
    "a user's command: the user-written strategy, 100×2520, -o perf.csv (cold processes)",
  );
  console.log(
    `  this machine: ${navigator.hardwareConcurrency} cores, so -o is written ${
      outputThread() ? "on a thread of its own" : "at the end"
    } unless HARVESTER_OUTPUT_THREAD says`,
  );
  const bundle = await benchBundle(100, 2520);
  dailyDataset(100, 2520);
  // The user's strategy beside the same decisions and arithmetic with one history call per
  // asset (dual_sma_per_asset.ts), runs interleaved so both see the same machine.
  const strategy = await import("./strategies/dual_sma_per_asset.ts");
  const warm: number[] = [], perAsset: number[] = [];
  for (let k = 0; k < 7; k++) {
    warm.push((await userRun(bundle)).timings.simulation_ms);
    const r = await warmRun(bundle, strategy);
    perAsset.push(r.timings.simulation_ms);
  }
  const w = stats(warm);
  report("  warm process: simulation, best of 7", BARS / w.best * 1000, "bars/s");
  report("  warm process: simulation, median", BARS / w.median * 1000, "bars/s");
  report(
    "  multi-asset history ÷ 100 single calls (sim medians)",
    w.median / stats(perAsset).median,
    "×",
    "≤ 1",
  );
  const dir = mkdtempSync(join(tmpdir(), "hv-bench-user-"));
  const runs: Record<string, number>[] = [];
  // Beside each run as this machine makes it, the other way of writing -o, interleaved.
  const other = outputThread() ? "off" : "on", others: Record<string, number>[] = [];
  try {
    for (let k = 0; k < 5; k++) {
      runs.push(coldRun(bundle, join(dir, "perf.csv")));
      others.push(coldRun(bundle, join(dir, "other.csv"), other));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const total = stats(runs.map((r) => r.total));
  report("  whole process with -o perf.csv, best of 5", total.best, "ms", "≈ 300 ms");
  report("  whole process, median", total.median, "ms");
  report("  whole process, best", BARS / total.best * 1000, "bars/s");
  for (const part of Object.keys(runs[0]).filter((p) => p !== "total")) {
    report(`    ${part}, median`, stats(runs.map((r) => r[part])).median, "ms");
  }
  const o = (part: string) => stats(others.map((r) => r[part])).median;
  report(
    `  same, side tables written ${other === "on" ? "on a thread of their own" : "at the end"} ` +
      `(HARVESTER_OUTPUT_THREAD=${other}): whole process, median`,
    o("total"),
    "ms",
  );
  report("    simulation, median", o("simulation"), "ms");
  report("    writing, median", o("writing"), "ms");
  const coldSim = stats(runs.map((r) => r.simulation)).median;
  report("  cold simulation ÷ warm simulation (medians)", coldSim / w.median, "×", "≤ 1.5");
  const peer = backtrader();
  if (!peer) {
    console.log("  backtrader: peer not found (set BACKTRADER_PATH to a backtrader work tree)");
    return;
  }
  const peerRate = peer.bars / peer.seconds;
  report("  backtrader 1.9.78, runonce=False, observers on", peerRate, "bars/s");
  report(
    "  harvester ÷ backtrader (best whole process)",
    BARS / total.best * 1000 / peerRate,
    "×",
    "≥ 100",
  );
  report(
    "  harvester ÷ backtrader (median whole process)",
    BARS / total.median * 1000 / peerRate,
    "×",
  );
}
