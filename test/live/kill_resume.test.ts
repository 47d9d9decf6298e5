/**
 * The kill switch and its way out, as an operator uses them from the command line: a session
 * killed before it starts halts at its start, stays halted across restarts (the state keeps
 * HALTED), and trades again after `harvester resume` — journaled as `trading_resumed` with what
 * it lifted. A running session is signalled (SIGUSR2) and resumes at its next bar.
 */
import { join } from "node:path";
import { existsSync } from "node:fs";
import { beforeAll, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { BUYER, cli, paperArgs, run, writeStrategy } from "./chaos_helpers.ts";

let root: string;
beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

/** Sessions (dates) whose bars sent an order, from the journal. */
function sessionsWithOrders(journal: string): Set<string> {
  const out = new Set<string>();
  let session = "";
  for (const e of readJournal(journal)) {
    if (e.type === "bar") session = String(e.session);
    if (e.type === "order_submitted") out.add(session);
  }
  return out;
}

test("killed before it starts: halted, still halted after a restart, trading after resume", async () => {
  const dir = tempRoot("hv-resume-");
  const algo = writeStrategy(dir, "buyer.ts", BUYER);
  const state = join(dir, "s.json"), journal = `${state}.journal.jsonl`;
  const kill = await run(root, ["kill", "--state-file", state, "--reason", "desk says stop"]);
  expect(kill.stdout).toMatch(/no session holds .* it halts at its next start/);
  const jan = await run(root, paperArgs(algo, state, "2014-01-02", "2014-01-31"));
  expect(jan.code, jan.stderr).toBe(0);
  expect(readJournal(journal).find((e) => e.type === "kill_switch")).toMatchObject({
    reason: "desk says stop",
  });
  expect(sessionsWithOrders(journal).size).toBe(0);
  // A restart keeps the halt (the state says HALTED), even with the kill file gone.
  const feb = await run(root, paperArgs(algo, state, "2014-01-02", "2014-02-28"));
  expect(feb.code, feb.stderr).toBe(0);
  expect(sessionsWithOrders(journal).size).toBe(0);

  const resume = await run(root, ["resume", "--state-file", state, "--reason", "checked"]);
  expect(resume.code).toBe(0);
  expect(resume.stdout).toMatch(/no session holds .* from its next start/);
  expect(existsSync(`${state}.kill`)).toBe(false);
  const mar = await run(root, paperArgs(algo, state, "2014-01-02", "2014-03-31"));
  expect(mar.code, mar.stderr).toBe(0);
  expect(readJournal(journal).filter((e) => e.type === "trading_resumed")).toMatchObject([
    { reason: "checked", from: "HALTED", lifted: "desk says stop" },
  ]);
  const traded = [...sessionsWithOrders(journal)].sort();
  expect(traded[0]).toBe("2014-03-03"); // March's first session, and every one after it
  expect(traded.length).toBe(21);
  expect(existsSync(`${state}.resume`)).toBe(false);
});

test("a running session is signalled: killed at its next bar, resumed at the one after", async () => {
  const dir = tempRoot("hv-resume-");
  const algo = writeStrategy(dir, "buyer.ts", BUYER);
  const state = join(dir, "s.json"), journal = `${state}.journal.jsonl`;
  // Paced at 50 000× (a session about every 1.7 s), so commands land between bars.
  const session = cli(
    root,
    paperArgs(algo, state, "2014-01-02", "2014-01-31", ["--speed", "50000"]),
  )
    .spawn();
  const lines = (type: string) =>
    existsSync(journal) ? readJournal(journal).filter((e) => e.type === type) : [];
  const until = async (ok: () => boolean, what: string) => {
    const t0 = Date.now();
    while (!ok()) {
      if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  try {
    await until(() => lines("session_end").length >= 1, "the first session's end");
    const k = await run(root, ["kill", "--state-file", state]);
    expect(k.stdout).toMatch(new RegExp(`signalled process ${session.pid}`));
    await until(() => lines("kill_switch").length === 1, "the kill at the next bar");
    const r = await run(root, ["resume", "--state-file", state]);
    expect(r.stdout).toMatch(new RegExp(`signalled process ${session.pid}`));
    await until(() => lines("trading_resumed").length === 1, "the resume at the next bar");
    session.kill("SIGTERM");
    expect((await session.status).code).toBe(0);
    // Ordering stopped at the kill and started again at the resume.
    const entries = readJournal(journal);
    const at = (type: string) => entries.findIndex((e) => e.type === type);
    const sent = entries.map((e, i) => e.type === "order_submitted" ? i : -1).filter((i) => i >= 0);
    expect(sent.some((i) => i > at("kill_switch") && i < at("trading_resumed"))).toBe(false);
  } finally {
    try {
      session.kill("SIGKILL");
    } catch { /* ended */ }
    await session.status;
  }
});
