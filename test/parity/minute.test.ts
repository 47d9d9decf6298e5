/**
 * The parity suite at minute frequency: a minute backtest and a paper session replaying the same
 * bundle's minute bars (`harvester live --feed bundle:NAME --data-frequency minute`) give the
 * same perf rows, positions, orders and transactions — also when the session is killed right
 * after an order reached the venue and restarted (the interrupted session is run again).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { runLive } from "../../runtime/live/session.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";
import { differences } from "./compare.ts";

let root: string;
const cal = get_calendar("XNYS");
const algo = fileURLToPath(new URL("../fixtures/strategies/minute_sink.ts", import.meta.url));
const START = "2024-07-01", END = "2024-07-09";
const withoutIds = (csv: string) => csv.replaceAll(/hv[0-9a-f]{8}-/g, "hv-");

beforeAll(async () => {
  root = tempRoot();
  const sessions = cal.sessions_in_range(Date.UTC(2024, 5, 26), Date.UTC(2024, 6, 9));
  const files: Record<string, string> = {};
  ["AAA", "BBB"].forEach((sym, j) => {
    const lines = ["date,open,high,low,close,volume"];
    let n = 0;
    for (const s of sessions) {
      for (const m of cal.session_minutes(s)) {
        // A price that wanders (limits and stops are reached now and then), volume that varies.
        const p = 50 * (j + 1) + 3 * Math.sin(n / 37 + j) + 0.5 * Math.sin(n / 5);
        const t = new Date(m).toISOString().slice(0, 19).replace("T", " ");
        lines.push(
          `${t},${p.toFixed(3)},${(p + 0.02).toFixed(3)},${(p - 0.02).toFixed(3)},${p.toFixed(3)},${
            1000 + (n * 37) % 900
          }`,
        );
        n++;
      }
    }
    files[`${sym}.csv`] = lines.join("\n") + "\n";
  });
  const csvdir = csvFolder(files, "minute");
  // The bundle is registered in the root's extension.ts, so the CLI's processes know it too.
  const bundles = pathToFileURL(fileURLToPath(new URL("../../bundles/mod.ts", import.meta.url)));
  writeFileSync(
    join(root, "extension.ts"),
    `import { csvdir_equities, register } from "${bundles.href}";\n` +
      `register("minute-parity", csvdir_equities({ csvdir: ${
        JSON.stringify(csvdir)
      } }), { calendar_name: "XNYS" });\n`,
  );
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "runtime/cli/main.ts", "ingest", "minute-parity"],
    env: { HARVESTER_ROOT: root },
    stdout: "piped",
    stderr: "piped",
  }).output();
  expect(r.code, new TextDecoder().decode(r.stderr)).toBe(0);
});

function cli(args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "runtime/cli/main.ts", ...args],
    env: { HARVESTER_ROOT: root, ...env },
    stdout: "piped",
    stderr: "piped",
  });
}

describe("parity at minute frequency", () => {
  test("a minute backtest and a minute paper replay: every column, position, order and transaction", async () => {
    const strategy = (await import(algo)) as Strategy;
    const common = { strategy, start: START, end: END, capital_base: 100_000, root };
    const back = await run_algorithm({
      ...common,
      bundle: "minute-parity",
      data_frequency: "minute",
      no_benchmark: true,
    });
    const dir = tempRoot("hv-minute-parity-");
    const live = await runLive({
      ...common,
      strategy_hash: "x",
      bundle: "minute-parity",
      data_frequency: "minute",
      speed: "max",
      state_path: join(dir, "s.json"),
      journal_path: join(dir, "j.jsonl"),
      no_benchmark: true,
    });
    expect(back.orders.filter((o) => o.status === 2).length).toBeGreaterThan(0);
    expect(back.orders.some((o) => o.stop !== null && o.stop_reached)).toBe(true);
    expect(back.recorded.get("mean20")!.filter((x) => x !== undefined).length).toBeGreaterThan(3);
    expect(differences(live, back)).toEqual([]);
  });

  test("killed right after an order reached the venue and restarted: the uninterrupted tables", async () => {
    const ref = tempRoot("hv-minute-ref-");
    const base = (dir: string) => [
      "live",
      algo,
      "--feed",
      "bundle:minute-parity",
      "--data-frequency",
      "minute",
      "--start",
      START,
      "--end",
      END,
      "--capital-base",
      "100000",
      "--no-benchmark",
      "--state-file",
      join(dir, "s.json"),
      "-o",
      join(dir, "perf.csv"),
    ];
    const whole = await cli(base(ref)).output();
    expect(whole.code, new TextDecoder().decode(whole.stderr)).toBe(0);
    for (const n of [1, 9, 22]) {
      const dir = tempRoot("hv-minute-crash-");
      const crashed = await cli(base(dir), { HARVESTER_FAULT: `exit_after_submit:${n}` })
        .output();
      expect(crashed.code, `point ${n}`).toBe(137);
      const again = await cli(base(dir)).output();
      expect(again.code, new TextDecoder().decode(again.stderr)).toBe(0);
      for (const t of ["perf", "perf_positions", "perf_orders", "perf_transactions"]) {
        const got = withoutIds(readFileSync(join(dir, `${t}.csv`), "utf8"));
        expect(got, `${t}, killed after order ${n}`).toEqual(
          withoutIds(readFileSync(join(ref, `${t}.csv`), "utf8")),
        );
      }
    }
  });
});
