/**
 * Every session, open, close and break of exchange_calendars' answer files, over each file's whole
 * range, with zero mismatches (fixtures: `test/fixtures/calendars/`, see PROVENANCE.md there).
 */
import { existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";
import { answers, mismatches } from "./answers.ts";

/** Calendars with an answer file, by exchange_calendars' name. */
const CONFORMING = [
  "XNYS",
  "CMES",
  "XLON",
  "24/7",
  "24/5",
  "XAMS",
  "XBRU",
  "XPAR",
  "XLIS",
  "XMIL",
  "XDUB",
  "XOSL",
  "XSTO",
  "XHEL",
  "XCSE",
  "XICE",
  "XRIS",
  "XTAL",
  "XLIT",
  "XSWX",
  "XWBO",
  "XPRA",
  "XBUD",
  "XWAR",
  "XLUX",
  "XMAD",
  "XFRA",
  "XETR",
  "XDUS",
  "XHAM",
  "XSTU",
  "XEUR",
  "ASEX",
  "XCYS",
  "XBEL",
  "XLJU",
  "XZAG",
  "XBSE",
  "XTSE",
  "XMEX",
  "XBDA",
  "IEPA",
  "XCBF",
  "BVMF",
  "XBUE",
  "XBOG",
  "XLIM",
  "XSGO",
  "XMOS",
  "XIST",
  "AIXK",
  "XTAE",
  "XSAU",
  "XJSE",
  "XASX",
  "XNZE",
  "XTKS",
  "XHKG",
  "XSHG",
  "XBOM",
  "XKAR",
  "XSES",
  "XKLS",
  "XBKK",
  "XIDX",
  "XPHS",
  "XTAI",
] as const;

const fixtures = new URL("../fixtures/calendars/", import.meta.url);

/** `xnys.csv`, or `xtks.csv.gz` where the file is stored compressed. */
function fileOf(name: string): string {
  const base = name.toLowerCase().replace("/", "-") + ".csv";
  return existsSync(new URL(base, fixtures)) ? base : `${base}.gz`;
}

describe("exchange_calendars conformance", () => {
  for (const name of CONFORMING) {
    test(`${name} matches ${fileOf(name)}`, () => {
      const bad = mismatches(get_calendar(name), answers(fileOf(name)));
      expect(bad.slice(0, 20), `${bad.length} mismatches`).toEqual([]);
    });
  }
});
