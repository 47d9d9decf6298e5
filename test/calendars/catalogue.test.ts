/**
 * The built-in calendars are exchange_calendars' (`calendar_utils.py` at 5308ce2:
 * `_default_calendar_factories` and `_default_calendar_aliases`), and every one gives sensible
 * sessions over every year it answers for, including the years after its answer file ends.
 */
import { describe, expect, test } from "vitest";
import { calendar_listing, calendar_names, get_calendar } from "../../calendars/mod.ts";

/** exchange_calendars' calendar names. */
const NAMES = [
  "AIXK",
  "ASEX",
  "BVMF",
  "XCYS",
  "CMES",
  "IEPA",
  "XAMS",
  "XASX",
  "XBEL",
  "XBDA",
  "XBKK",
  "XBOG",
  "XBOM",
  "XBRU",
  "XBSE",
  "XBUD",
  "XBUE",
  "XBRA",
  "XCBF",
  "XCSE",
  "XDUB",
  "XDUS",
  "XEEE",
  "XFRA",
  "XETR",
  "XEUR",
  "XHAM",
  "XHEL",
  "XHKG",
  "XICE",
  "XIDX",
  "XIST",
  "XJSE",
  "XKAR",
  "XKLS",
  "XKRX",
  "XLIM",
  "XLIS",
  "XLIT",
  "XLJU",
  "XLON",
  "XLUX",
  "XMAD",
  "XMEX",
  "XMIL",
  "XMOS",
  "XNYS",
  "XNZE",
  "XOSL",
  "XPAR",
  "XPHS",
  "XPRA",
  "XRIS",
  "XSAU",
  "XSES",
  "XSGO",
  "XSHG",
  "XSTO",
  "XSTU",
  "XSWX",
  "XTAE",
  "XTAI",
  "XTAL",
  "XTKS",
  "XTSE",
  "XWAR",
  "XWBO",
  "XZAG",
  "us_futures",
  "24/7",
  "24/5",
]; // prettier-ignore

/** exchange_calendars' aliases and what they resolve to. */
const ALIASES: Record<string, string> = {
  NYSE: "XNYS",
  NASDAQ: "XNYS",
  BATS: "XNYS",
  XNAS: "XNYS",
  ARCX: "XNYS",
  OOTC: "XNYS",
  XASE: "XNYS",
  XTSX: "XTSE",
  FWB: "XFRA",
  LSE: "XLON",
  TSX: "XTSE",
  BMF: "BVMF",
  CME: "CMES",
  CBOT: "CMES",
  COMEX: "CMES",
  NYMEX: "CMES",
  ICE: "IEPA",
  ICEUS: "IEPA",
  NYFE: "IEPA",
  CFE: "XCBF",
  JKT: "XIDX",
  SIX: "XSWX",
  JPX: "XTKS",
  ASX: "XASX",
  HKEX: "XHKG",
  OSE: "XOSL",
  BSE: "XBOM",
  SSE: "XSHG",
  TASE: "XTAE",
  BVB: "XBSE",
  LUXSE: "XLUX",
}; // prettier-ignore

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe("the catalogue", () => {
  test("every exchange_calendars calendar, under its own name", () => {
    expect(calendar_listing().map((c) => c.name).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) expect(get_calendar(name).name).toBe(name);
  });

  test("every exchange_calendars alias resolves as it does there (and CSVDIR to XNYS)", () => {
    for (const [alias, name] of Object.entries({ ...ALIASES, CSVDIR: "XNYS" })) {
      expect(get_calendar(alias), alias).toBe(get_calendar(name));
      expect(calendar_names()).toContain(alias);
    }
  });

  test("every year of every calendar has a sensible number of sessions", () => {
    for (const { name } of calendar_listing()) {
      const cal = get_calendar(name);
      const y0 = new Date(cal.first_session).getUTCFullYear() + 1;
      const y1 = new Date(cal.last_session).getUTCFullYear() - 1;
      const [lo, hi] = name === "24/7" ? [365, 366] : [220, 300];
      for (let y = y0; y <= y1; y++) {
        const n = cal.sessions_in_range(Date.UTC(y, 0, 1), Date.UTC(y, 11, 31)).length;
        expect(n >= lo && n <= hi, `${name} ${y}: ${n} sessions`).toBe(true);
      }
    }
  });

  test("spans: 1990–2050 unless exchange_calendars bounds a calendar or its tables end", () => {
    const span = (name: string) => {
      const c = get_calendar(name);
      return [c.first_session, c.last_session].map((t) => new Date(t).toISOString().slice(0, 10));
    };
    expect(span("XNYS")).toEqual(["1990-01-02", "2050-12-30"]);
    expect(span("XTAI")[0]).toBe("1911-01-02");
    expect(span("XSHG")).toEqual(["1990-12-03", "2026-12-31"]);
    expect(span("XHKG")[1]).toBe("2049-12-31");
    expect(span("XSAU")).toEqual(["2021-01-03", "2029-12-31"]);
  });
});

describe("rules beyond the answer files", () => {
  test("Tokyo's equinox days follow the formula exchange_calendars' table agrees with to 2040", () => {
    const xtks = get_calendar("XTKS");
    // From exchange_calendars' xtks_holidays.py tables (after the answer file's 2026).
    for (const d of ["2027-03-22", "2035-09-24", "2036-09-22", "2040-03-20", "2040-09-22"]) {
      if (new Date(day(d)).getUTCDay() % 6 !== 0) expect(xtks.is_session(day(d)), d).toBe(false);
    }
    expect(xtks.is_session(day("2037-09-22"))).toBe(false); // Silver Week citizen's holiday
    expect(xtks.is_session(day("2048-03-20"))).toBe(false); // formula: vernal equinox 2048
  });

  test("lunar holidays from the tables: Hong Kong, Seoul, Kuala Lumpur, Wellington", () => {
    expect(get_calendar("XHKG").is_session(day("2049-02-02"))).toBe(false); // Lunar New Year
    expect(get_calendar("XKRX").is_session(day("2040-09-21"))).toBe(false); // Chuseok
    expect(get_calendar("XKLS").is_session(day("2049-07-01"))).toBe(false); // Hari Raya Puasa
    expect(get_calendar("XNZE").is_session(day("2049-06-25"))).toBe(false); // Matariki
  });

  test("Tel Aviv's Jewish holidays are computed for any year; it trades Monday to Friday", () => {
    const xtae = get_calendar("TASE");
    expect(xtae.is_session(day("2030-10-07"))).toBe(false); // Yom Kippur 5791 (a Monday)
    expect(xtae.is_session(day("2030-04-18"))).toBe(false); // Passover 5790 (a Thursday)
    expect(xtae.is_session(day("2040-09-17"))).toBe(false); // Yom Kippur 5801
    expect(xtae.is_session(day("2030-01-04"))).toBe(true); // a Friday
    expect(xtae.session_close(day("2030-01-04"))).toBe(Date.parse("2030-01-04T11:50:00Z"));
  });
});
