/**
 * exchange_calendars' answer files (`tests/resources/<name>.csv`, copied into
 * `test/fixtures/calendars/`, gzipped where large) and the comparison of a calendar against one.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { TradingCalendar } from "../../calendars/mod.ts";
import { isoDate } from "../../calendars/mod.ts";

/** One row: session label and UTC instants (NaN for an empty break column). */
export interface Answer {
  session: number;
  open: number;
  close: number;
  breakStart: number;
  breakEnd: number;
}

/** Parses an answer file's text (header `,open,close,break_start,break_end`). */
export function parseAnswers(text: string): Answer[] {
  const when = (s: string | undefined) => (s ? Date.parse(s) : NaN);
  return text.trim().split("\n").slice(1).map((line) => {
    const [s, o, c, bs, be] = line.split(",");
    return {
      session: Date.parse(s),
      open: when(o),
      close: when(c),
      breakStart: when(bs),
      breakEnd: when(be),
    };
  });
}

/** Reads `test/fixtures/calendars/<file>` (`.csv` or `.csv.gz`). */
export function answers(file: string, dir = new URL("../fixtures/calendars/", import.meta.url)) {
  const bytes = readFileSync(new URL(file, dir));
  return parseAnswers(
    new TextDecoder().decode(file.endsWith(".gz") ? gunzipSync(bytes) : bytes),
  );
}

const iso = (ms: number) => (ms === ms ? new Date(ms).toISOString() : "none");

/** Every difference between a calendar and an answer file over the file's whole range. */
export function mismatches(cal: TradingCalendar, rows: readonly Answer[]): string[] {
  const out: string[] = [];
  const first = rows[0].session, last = rows[rows.length - 1].session;
  const want = new Set(rows.map((r) => r.session));
  for (const s of cal.sessions_in_range(first, last)) {
    if (!want.has(s)) out.push(`extra session ${isoDate(s / 86_400_000)}`);
  }
  for (const r of rows) {
    const day = isoDate(r.session / 86_400_000);
    const i = cal.session_index(r.session);
    if (i < 0) {
      out.push(`missing session ${day}`);
      continue;
    }
    const got = [cal.opens[i], cal.closes[i], cal.break_starts[i], cal.break_ends[i]];
    const exp = [r.open, r.close, r.breakStart, r.breakEnd];
    const what = ["open", "close", "break_start", "break_end"];
    for (let k = 0; k < 4; k++) {
      const same = got[k] === exp[k] || (got[k] !== got[k] && exp[k] !== exp[k]);
      if (!same) out.push(`${day} ${what[k]} ${iso(got[k])} want ${iso(exp[k])}`);
    }
  }
  return out;
}
