/**
 * Restarts that equal no restart. A paper session is killed — as `kill -9` would, right after
 * each order reached the venue in a short window, and at random moments of a longer one — and
 * restarted from its state file; it must end with exactly the perf rows, positions, orders and
 * transactions of the same session run without interruption, and no client order id may reach the
 * venue twice.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
const algo = fileURLToPath(new URL("../fixtures/strategies/kitchen_sink.ts", import.meta.url));
const TABLES = ["perf", "perf_positions", "perf_orders", "perf_transactions"];
const withoutIds = (csv: string) => csv.replaceAll(/hv[0-9a-f]{8}-/g, "hv-");

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

function live(dir: string, start: string, end: string, extra: string[] = []): string[] {
  return [
    "run",
    "-A",
    "runtime/cli/main.ts",
    "live",
    algo,
    "--feed",
    "bundle:zipline-examples",
    "--start",
    start,
    "--end",
    end,
    "--capital-base",
    "1000000",
    "--no-benchmark",
    "--state-file",
    join(dir, "s.json"),
    ...extra,
  ];
}

function run(args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args,
    env: { HARVESTER_ROOT: root, ...env },
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs to the end (exit 0), writing the tables under `dir`. */
async function finish(args: string[], dir: string): Promise<void> {
  const r = await run([...args, "-o", join(dir, "perf.csv")]).output();
  expect(r.code, new TextDecoder().decode(r.stderr)).toBe(0);
}

function tables(dir: string): string[] {
  return TABLES.map((t) => withoutIds(readFileSync(join(dir, `${t}.csv`), "utf8")));
}

/** Client order ids that reached the venue, by its op-log and snapshot (all processes). */
function sentToVenue(dir: string): string[] {
  const journal = readJournal(join(dir, "s.json.journal.jsonl"));
  return journal.filter((e) => e.type === "order_submitted").map((e) => String(e.client_order_id));
}

describe("restart = no restart", () => {
  const start = "2013-06-24", end = "2013-07-12"; // CERN's split on 2013-07-01 inside
  let reference: string[], submissions: number;

  beforeAll(async () => {
    const dir = tempRoot("hv-crash-ref-");
    await finish(live(dir, start, end), dir);
    reference = tables(dir);
    submissions = sentToVenue(dir).length;
  });

  test("killed right after each order reached the venue: the same tables, nothing sent twice", async () => {
    expect(submissions).toBeGreaterThan(10);
    // Every submission point of the window (at most 24, spread evenly across it).
    const points = [
      ...new Set(
        Array.from(
          { length: Math.min(24, submissions) },
          (_, k) =>
            1 + Math.round(k * (submissions - 1) / Math.max(1, Math.min(24, submissions) - 1)),
        ),
      ),
    ];
    for (const n of points) {
      const dir = tempRoot("hv-crash-");
      const args = live(dir, start, end);
      const crashed = await run(args, { HARVESTER_FAULT: `exit_after_submit:${n}` }).output();
      expect(crashed.code, `point ${n}`).toBe(137);
      await finish(args, dir);
      expect(tables(dir), `killed after order ${n}`).toEqual(reference);
      const sent = sentToVenue(dir);
      expect(new Set(sent).size, `point ${n}: an id sent twice`).toBe(sent.length);
      const journal = readJournal(join(dir, "s.json.journal.jsonl"));
      expect(journal.some((e) => e.type === "session_restored")).toBe(true);
    }
  });

  test("killed at random moments of a longer session, three times: the same tables", async () => {
    const longEnd = "2014-02-28";
    const ref = tempRoot("hv-crash-long-ref-");
    await finish(live(ref, start, longEnd), ref);
    const dir = tempRoot("hv-crash-long-");
    const args = live(dir, start, longEnd, ["--speed", "4000000"]);
    const journal = join(dir, "s.json.journal.jsonl");
    // A fixed seed: the same moments on every run of the test.
    let seed = 20261206;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let kill = 0; kill < 3; kill++) {
      const child = run(args).spawn();
      const done = readJournal(journal).filter((e) => e.type === "session_end").length;
      const target = done + 5 + Math.floor(random() * 40);
      for (let k = 0; k < 2000; k++) {
        const lines = readJournal(journal);
        if (lines.filter((e) => e.type === "session_end").length >= target) break;
        if (lines.some((e) => e.type === "session_stopped" && e.at_session !== undefined)) {
          const stopped = lines.filter((e) => e.type === "session_stopped").length;
          if (stopped > kill) break; // finished before the moment came
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      child.kill("SIGKILL");
      await child.output();
    }
    await finish(args, dir);
    expect(tables(dir)).toEqual(tables(ref));
    const sent = sentToVenue(dir);
    expect(new Set(sent).size).toBe(sent.length);
  });
});
