/**
 * The chaos suite, part two: a session's files damaged, deleted or swapped. Each case is either
 * refused with a message naming the file (and what to do), or recovered to exactly the
 * uninterrupted session's results — never a silent fresh start, never a session decided twice.
 */
import { createHash } from "node:crypto";
import { appendFileSync, copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { BUYER, paperArgs, type Ran, run, tables, writeStrategy } from "./chaos_helpers.ts";

let root: string, algo: string, reference: string[];
const START = "2014-01-02", END = "2014-02-28", HALF = "2014-01-31";

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
  const dir = tempRoot("hv-files-ref-");
  algo = writeStrategy(dir, "buyer.ts", BUYER);
  const r = await run(root, session(dir, END));
  expect(r.code, r.stderr).toBe(0);
  reference = tables(dir);
});

function session(dir: string, end: string, extra: string[] = []): string[] {
  return paperArgs(algo, join(dir, "s.json"), START, end, ["-o", join(dir, "perf.csv"), ...extra]);
}

/** A session run to `HALF`, then (with its files as `damage` leaves them) on to the end. */
async function damaged(damage: (state: string) => void): Promise<{ dir: string; again: Ran }> {
  const dir = tempRoot("hv-files-");
  const first = await run(root, session(dir, HALF));
  expect(first.code, first.stderr).toBe(0);
  damage(join(dir, "s.json"));
  return { dir, again: await run(root, session(dir, END)) };
}

const refusedNaming = (r: Ran, file: RegExp) => {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toMatch(file);
  expect(r.stderr).not.toMatch(/internal error/);
};

describe("the state file against its journal and venue", () => {
  test("state deleted: refused (not a silent fresh start); --recover equals the uninterrupted run", async () => {
    const { dir, again } = await damaged((s) => rmSync(s));
    refusedNaming(again, /s\.json: it is missing, but its journal .* shows a session that ran/);
    expect(again.stderr).toMatch(/--recover/);
    const recovered = await run(root, session(dir, END, ["--recover"]));
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(tables(dir)).toEqual(reference);
  });

  test("an older state put back: refused; --recover equals the uninterrupted run", async () => {
    const dir = tempRoot("hv-files-");
    const state = join(dir, "s.json");
    expect((await run(root, session(dir, "2014-01-15"))).code).toBe(0);
    copyFileSync(state, `${state}.old`);
    expect((await run(root, session(dir, HALF))).code).toBe(0);
    copyFileSync(`${state}.old`, state);
    const again = await run(root, session(dir, END));
    refusedNaming(again, /s\.json: its journal .* shows \d+ sessions ended after this state/);
    const recovered = await run(root, session(dir, END, ["--recover"]));
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(tables(dir)).toEqual(reference);
  });

  test("an older state and an older journal with the newer venue: refused naming the venue", async () => {
    const dir = tempRoot("hv-files-");
    const state = join(dir, "s.json");
    expect((await run(root, session(dir, "2014-01-15"))).code).toBe(0);
    for (const f of [state, `${state}.journal.jsonl`, `${state}.perf.jsonl`]) {
      copyFileSync(f, `${f}.old`);
    }
    expect((await run(root, session(dir, HALF))).code).toBe(0);
    for (const f of [state, `${state}.journal.jsonl`, `${state}.perf.jsonl`]) {
      copyFileSync(`${f}.old`, f);
    }
    const again = await run(root, session(dir, END));
    refusedNaming(again, /the paper venue .*s\.json\.paper\.json has traded through 2014-01-31/);
  });

  test("a perf log missing or short: refused naming it", async () => {
    const missing = await damaged((s) => rmSync(`${s}.perf.jsonl`));
    refusedNaming(missing.again, /s\.json\.perf\.jsonl is missing but the state file counts/);
    const short = await damaged((s) => {
      const lines = readFileSync(`${s}.perf.jsonl`, "utf8").split("\n").filter(Boolean);
      writeFileSync(`${s}.perf.jsonl`, lines.slice(0, 3).join("\n") + "\n");
    });
    refusedNaming(short.again, /s\.json\.perf\.jsonl has 3 perf rows, the state file counts/);
  });
});

describe("the journal", () => {
  test("a torn last line is cut off and journaled; the session and its replay go on", async () => {
    const { dir, again } = await damaged((s) =>
      appendFileSync(`${s}.journal.jsonl`, '{"ts":"x","type":"ord')
    );
    expect(again.code, again.stderr).toBe(0);
    expect(tables(dir)).toEqual(reference);
    const journal = readJournal(join(dir, "s.json.journal.jsonl"));
    expect(journal.find((e) => e.type === "journal_repaired")).toMatchObject({
      bytes_dropped: 21,
    });
    const replay = await run(root, ["replay", join(dir, "s.json.journal.jsonl"), algo]);
    expect(replay.code, replay.stderr + replay.stdout).toBe(0);
  });

  test("a garbage line inside it: refused naming the file and line", async () => {
    const { again } = await damaged((s) => {
      const lines = readFileSync(`${s}.journal.jsonl`, "utf8").split("\n");
      lines.splice(3, 0, "garbage, not JSON");
      writeFileSync(`${s}.journal.jsonl`, lines.join("\n"));
    });
    refusedNaming(again, /s\.json\.journal\.jsonl:4: not a JSON line/);
  });
});

describe("the paper venue's files", () => {
  /** The venue's book after `HALF` with an open order resting (a limit far away). */
  const book = (s: string) => `${s}.paper.json`;

  test("the book truncated or edited (cash): refused naming it", async () => {
    const truncated = await damaged((s) => {
      const text = readFileSync(book(s), "utf8");
      writeFileSync(book(s), text.slice(0, text.length / 2));
    });
    refusedNaming(truncated.again, /s\.json\.paper\.json: not valid JSON \(damaged or truncated\)/);
    const edited = await damaged((s) => {
      const text = readFileSync(book(s), "utf8");
      writeFileSync(book(s), text.replace(/"cash":(-?[\d.]+)/, '"cash":1000000000'));
    });
    refusedNaming(edited.again, /s\.json\.paper\.json: fails its checksum \(damaged or edited\)/);
  });

  test("op-log lines: garbage, a foreign submit, an unknown symbol — refused naming the line", async () => {
    const ops = (s: string) => `${book(s)}.ops`;
    // An op-log exists between a session's orders and its end: a run killed mid-session leaves one.
    const crashed = async (edit: (s: string) => void) => {
      const dir = tempRoot("hv-files-");
      const r = await run(root, session(dir, END), { HARVESTER_FAULT: "exit_after_submit:3" });
      expect(r.code).toBe(137);
      edit(join(dir, "s.json"));
      return await run(root, session(dir, END));
    };
    refusedNaming(
      await crashed((s) => appendFileSync(ops(s), "not json\n")),
      /s\.json\.paper\.json\.ops:\d+: not a JSON line/,
    );
    refusedNaming(
      await crashed((s) =>
        appendFileSync(
          ops(s),
          `{"n":99,"h":"0000000000000000","op":"submit","coid":"x","id":"paper-99","symbol":"AAPL","amount":1000000000,"limit":null,"stop":null,"created":1}\n`,
        )
      ),
      /s\.json\.paper\.json\.ops:\d+: this line was not written by the venue/,
    );
    // An unknown symbol on a line whose chain is right (a venue bug, not an edit): the chain is
    // recomputed as the venue computes it (paper_store.ts), so only the symbol is wrong.
    refusedNaming(
      await crashed((s) => {
        const lines = readFileSync(ops(s), "utf8").split("\n").filter(Boolean);
        const before = lines.length > 1 ? JSON.parse(lines[lines.length - 2]).h : null;
        const { n, h: _h, ...op } = JSON.parse(lines[lines.length - 1]);
        const prev = before ?? JSON.parse(readFileSync(book(s), "utf8")).ops_head;
        const changed = { ...op, symbol: "NOPE" };
        const h = createHash("sha256").update(`${prev}|${n}|${JSON.stringify(changed)}`)
          .digest("hex").slice(0, 16);
        lines[lines.length - 1] = JSON.stringify({ n, h, ...changed });
        writeFileSync(ops(s), lines.join("\n") + "\n");
      }),
      /s\.json\.paper\.json\.ops:\d+: unknown symbol NOPE/,
    );
  });
});
