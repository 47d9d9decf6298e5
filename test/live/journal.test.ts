/**
 * The journal: entries wait in the process until written out (end of bar, a synced line, or a
 * short timer), then land in order as JSON lines with `ts` and `type` first.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { Journal, readJournal } from "../../runtime/live/journal.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hv-journal-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 0, 2, 14, 30);

describe("Journal", () => {
  test("pending entries reach the file on writeOut, in order, ts and type first", () => {
    const path = join(dir, "j.jsonl");
    const j = new Journal(path, () => T0);
    j.write("bar", { session: "2024-01-02", bars: [{ symbol: "AAPL", close: 1.5 }] });
    j.write("order_submitted", { client_order_id: "hvx-1", amount: 10, limit: null });
    j.write("empty");
    expect(readFileSync(path, "utf8")).toBe("");
    j.writeOut();
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines[0]).toBe(
      '{"ts":"2024-01-02T14:30:00.000Z","type":"bar","session":"2024-01-02","bars":[{"symbol":"AAPL","close":1.5}]}',
    );
    expect(JSON.parse(lines[1])).toEqual({
      ts: "2024-01-02T14:30:00.000Z",
      type: "order_submitted",
      client_order_id: "hvx-1",
      amount: 10,
      limit: null,
    });
    expect(lines[2]).toBe('{"ts":"2024-01-02T14:30:00.000Z","type":"empty"}');
    expect(j.lines).toBe(3);
    j.close();
  });

  test("a synced line writes out everything before it", () => {
    const path = join(dir, "j.jsonl");
    const j = new Journal(path, () => T0);
    j.write("fill", { exec_id: "e1" });
    j.write("decided", { session_index: 3 }, true);
    expect(readJournal(path).map((e) => e.type)).toEqual(["fill", "decided"]);
    j.close();
  });

  test("fields named ts or type do not duplicate keys (the entry's own win, as before)", () => {
    const path = join(dir, "j.jsonl");
    const j = new Journal(path, () => T0);
    j.write("error", { type: "error", message: "boom", time: 5 });
    j.close();
    const text = readFileSync(path, "utf8");
    expect(text.match(/"type"/g)?.length).toBe(1);
    expect(JSON.parse(text)).toEqual({
      ts: "2024-01-02T14:30:00.000Z",
      type: "error",
      message: "boom",
      time: 5,
    });
  });

  test("unwritten entries go out within a short timer, and on close", async () => {
    const path = join(dir, "j.jsonl");
    const j = new Journal(path, () => T0);
    j.write("minute_bar", { symbol: "AAPL" });
    await new Promise((r) => setTimeout(r, 250));
    expect(readJournal(path).length).toBe(1);
    j.write("session_end", {});
    j.close();
    expect(readJournal(path).map((e) => e.type)).toEqual(["minute_bar", "session_end"]);
  });

  test("many lines, and non-ASCII text, are written whole", () => {
    const path = join(dir, "j.jsonl");
    const j = new Journal(path, () => T0);
    for (let i = 0; i < 10_000; i++) j.write("x", { i, note: "ünïcødé ✓ 日本" });
    j.close();
    const entries = readJournal(path);
    expect(entries.length).toBe(10_000);
    expect(entries[9_999]).toMatchObject({ i: 9_999, note: "ünïcødé ✓ 日本" });
  });
});
