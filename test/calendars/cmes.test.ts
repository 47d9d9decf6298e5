/** CMES spot checks beyond the answer file (which ends in 2027): the rules must hold to 2050. */
import { describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";

const cme = get_calendar("CMES");
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const utc = (iso: string) => Date.parse(iso);

describe("CMES rules after 2027", () => {
  test("full holidays: Good Friday, New Year's observed, Christmas observed on a Friday", () => {
    expect(cme.is_session(day("2028-04-14"))).toBe(false); // Good Friday
    expect(cme.is_session(day("2034-01-02"))).toBe(false); // Jan 1 is a Sunday
    expect(cme.is_session(day("2032-12-24"))).toBe(false); // Dec 25 is a Saturday
  });

  test("US holidays are sessions closing at noon Chicago time, opening the evening before", () => {
    const thanksgiving = day("2030-11-28");
    expect(cme.is_session(thanksgiving)).toBe(true);
    expect(cme.session_open(thanksgiving)).toBe(utc("2030-11-27T23:00:00Z")); // 17:00 CST
    expect(cme.session_close(thanksgiving)).toBe(utc("2030-11-28T18:00:00Z")); // 12:00 CST
    expect(cme.is_early_close(thanksgiving)).toBe(true);
    expect(cme.session_close(day("2039-06-20"))).toBe(utc("2039-06-20T17:00:00Z")); // Juneteenth, CDT
    expect(cme.session_close(day("2045-07-04"))).toBe(utc("2045-07-04T17:00:00Z"));
  });

  test("an ordinary day runs 17:00 to 17:00", () => {
    const s = day("2040-03-14");
    expect(cme.session_open(s)).toBe(utc("2040-03-13T22:00:00Z")); // CDT
    expect(cme.session_close(s)).toBe(utc("2040-03-14T22:00:00Z"));
    expect(cme.is_early_close(s)).toBe(false);
  });
});
