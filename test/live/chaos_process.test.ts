/**
 * The chaos suite, part one: what an operator can do to a running session. A second session on
 * the same state file is refused; `harvester kill` never signals a process a stale pid file names;
 * SIGTERM ends a paced session at once; values that cannot be an order are refused at the call,
 * in a backtest and in a paper session, with nothing sent; a context that refers to itself is
 * skipped, never fatal; a full disk stops the session naming the file, leaves no temporary file,
 * and once space is back the restart ends where an uninterrupted session ends.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { alive, BUYER, cli, paperArgs, run, tables, writeStrategy } from "./chaos_helpers.ts";

let root: string;
beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

/** Waits for `ok` (a file appearing, a line written) — never for a fixed time. */
async function until(ok: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("operators and processes", () => {
  test("a second session on a held state file is refused; SIGTERM ends a paced one at once", async () => {
    const dir = tempRoot("hv-chaos-");
    const algo = writeStrategy(dir, "buyer.ts", BUYER);
    const state = join(dir, "s.json");
    // Paced: a session every 432 s of real time; it sleeps after its first session.
    const first = cli(root, paperArgs(algo, state, "2014-01-02", "2014-03-31", ["--speed", "200"]))
      .spawn();
    const journal = `${state}.journal.jsonl`;
    await until(
      () => existsSync(journal) && readJournal(journal).some((e) => e.type === "session_end"),
      "the first session's end",
    );
    const second = await run(root, paperArgs(algo, state, "2014-01-02", "2014-03-31"));
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(`another session \\(pid ${first.pid}, started .*\\) holds ${state}`),
    );
    // The refused one changed nothing: one session_started, nothing decided twice.
    expect(readJournal(journal).filter((e) => e.type === "session_started").length).toBe(1);
    const t0 = performance.now();
    first.kill("SIGTERM");
    const out = await first.output();
    expect(out.code).toBe(0);
    expect(performance.now() - t0).toBeLessThan(3000); // not the 432 s to the next bar
    expect(readJournal(journal).at(-1)).toMatchObject({ type: "session_stopped" });
  });

  test("harvester kill never signals what a stale pid file names", async () => {
    const dir = tempRoot("hv-chaos-");
    const state = join(dir, "s.json");
    const sleeper = new Deno.Command("sleep", { args: ["300"] }).spawn();
    try {
      writeFileSync(`${state}.pid`, String(sleeper.pid));
      const r = await run(root, ["kill", "--state-file", state]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`named process ${sleeper.pid}, which holds no session`));
      expect(r.stdout).toMatch(/no session holds .* now/);
      expect(alive(sleeper.pid)).toBe(true);
      expect(existsSync(`${state}.pid`)).toBe(false);
    } finally {
      sleeper.kill("SIGKILL");
      await sleeper.status;
    }
  });

  test("a context that refers to itself is skipped with a warning; the session completes", async () => {
    const dir = tempRoot("hv-chaos-");
    const algo = writeStrategy(
      dir,
      "cyclic.ts",
      BUYER.replace(
        "c.n = 0; }",
        "c.n = 0; c.me = c; c.tree = { up: null }; c.tree.up = c.tree; }",
      ),
    );
    const r = await run(root, paperArgs(algo, join(dir, "s.json"), "2014-01-02", "2014-01-31"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/context\.me \(refers to itself\)/);
    expect(r.stderr).toMatch(/context\.tree\.up \(refers to itself\)/);
  });
});

describe("values that cannot be an order", () => {
  const CALLS = [
    ["order(c.a, V)", /order\(\): amount must be a finite number, got (NaN|-?Infinity)/],
    ["order_target_percent(c.a, V)", /order_target_percent\(\): target must be a finite number/],
    ["order_value(c.a, V)", /order_value\(\): value must be a finite number/],
    ["order(c.a, 10, { limit_price: V })", /limit_price must be a finite number/],
  ] as const;
  const strategy = (call: string, v: string) =>
    `export async function initialize(c) { c.a = await c.symbol("AAPL"); }
export async function handle_data(c) { await c.${call.replace("V", v)}; }
`;

  test("refused at the call in a backtest", async () => {
    for (const [call, message] of CALLS) {
      for (const v of ["NaN", "Infinity", "-Infinity"]) {
        const mod = await import(
          `data:application/typescript,${encodeURIComponent(strategy(call, v))}`
        );
        await expect(
          run_algorithm({ strategy: mod, start: "2014-01-02", end: "2014-01-10", root }),
          `${call} with ${v}`,
        ).rejects.toThrow(message);
      }
    }
  });

  test("refused at the call in a paper session: nothing reaches the venue", async () => {
    for (const [call, message] of CALLS.slice(0, 2)) {
      const dir = tempRoot("hv-chaos-");
      const algo = writeStrategy(dir, "bad.ts", strategy(call, "NaN"));
      const state = join(dir, "s.json");
      const r = await run(root, paperArgs(algo, state, "2014-01-02", "2014-01-10"));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      const journal = readJournal(`${state}.journal.jsonl`);
      expect(journal.filter((e) => e.type === "order_submitted")).toEqual([]);
      const ops = existsSync(`${state}.paper.json.ops`)
        ? readFileSync(`${state}.paper.json.ops`, "utf8")
        : "";
      expect(ops).not.toMatch(/"op":"submit"/);
    }
  });
});

describe("a full disk", () => {
  test("stops naming the file, leaves no temporary file, and the restart equals no interruption", async () => {
    if (Deno.uid() !== 0) {
      console.warn("skipped: a full disk is made with a small tmpfs, which needs root");
      return;
    }
    const dir = tempRoot("hv-chaos-disk-"), mnt = join(dir, "disk");
    Deno.mkdirSync(mnt);
    const mount = (opts: string) =>
      new Deno.Command("mount", { args: ["-t", "tmpfs", "-o", opts, "tmpfs", mnt] }).outputSync();
    if (mount("size=160k").code !== 0) {
      console.warn("skipped: tmpfs cannot be mounted here");
      return;
    }
    try {
      const algo = writeStrategy(dir, "buyer.ts", BUYER);
      const args = paperArgs(algo, join(mnt, "s.json"), "2014-01-02", "2014-12-31", [
        "-o",
        join(dir, "perf.csv"),
      ]);
      const full = await run(root, args);
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(/could not .* .*\/disk\/s\.json[^ ]*: .*disk is full/);
      expect(readdirSync(mnt).filter((f) => f.includes(".tmp"))).toEqual([]);
      // Space comes back: the restart continues and ends as an uninterrupted session does.
      new Deno.Command("mount", { args: ["-o", "remount,size=16m", mnt] }).outputSync();
      const again = await run(root, args);
      expect(again.code, again.stderr).toBe(0);
      const ref = tempRoot("hv-chaos-ref-");
      const whole = await run(
        root,
        paperArgs(algo, join(ref, "s.json"), "2014-01-02", "2014-12-31", [
          "-o",
          join(ref, "perf.csv"),
        ]),
      );
      expect(whole.code).toBe(0);
      expect(tables(dir)).toEqual(tables(ref));
    } finally {
      new Deno.Command("umount", { args: [mnt] }).outputSync();
    }
  });
});
