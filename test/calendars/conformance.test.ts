/** Every session, open and close of exchange_calendars' answer files, with zero mismatches. */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { get_calendar, isoDate } from "../../calendars/mod.ts";

interface Answer {
  session: number;
  open: number;
  close: number;
}

function answers(file: string): Answer[] {
  const text = readFileSync(new URL(`../fixtures/calendars/${file}`, import.meta.url), "utf8");
  return text.trim().split("\n").slice(1).map((line) => {
    const [s, o, c] = line.split(",");
    return { session: Date.parse(s), open: Date.parse(o), close: Date.parse(c) };
  });
}

function mismatches(name: string, file: string): string[] {
  const cal = get_calendar(name);
  const rows = answers(file);
  const out: string[] = [];
  const first = rows[0].session, last = rows[rows.length - 1].session;
  const mine = cal.sessions_in_range(first, last);
  const want = new Set(rows.map((r) => r.session));
  for (const s of mine) if (!want.has(s)) out.push(`extra session ${isoDate(s / 86_400_000)}`);
  for (const r of rows) {
    const day = isoDate(r.session / 86_400_000);
    if (!cal.is_session(r.session)) {
      out.push(`missing session ${day}`);
      continue;
    }
    const o = cal.session_open(r.session), c = cal.session_close(r.session);
    if (o !== r.open) {
      out.push(`${day} open ${new Date(o).toISOString()} want ${new Date(r.open).toISOString()}`);
    }
    if (c !== r.close) {
      out.push(`${day} close ${new Date(c).toISOString()} want ${new Date(r.close).toISOString()}`);
    }
  }
  return out;
}

describe("exchange_calendars conformance", () => {
  for (
    const [name, file] of [
      ["XNYS", "xnys.csv"],
      ["CMES", "cmes.csv"],
      ["XLON", "xlon.csv"],
      ["24/7", "24-7.csv"],
      ["24/5", "24-5.csv"],
    ] as const
  ) {
    test(`${name} matches ${file}`, () => {
      const bad = mismatches(name, file);
      expect(bad.slice(0, 20), `${bad.length} mismatches`).toEqual([]);
    });
  }
});
