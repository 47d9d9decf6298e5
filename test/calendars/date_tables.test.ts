/** The calendars' date tables: eight to a line, every entry checked as it loads. */
import { describe, expect, test } from "vitest";
import { dates } from "../../calendars/data/dates.ts";

describe("date tables", () => {
  test("whitespace-separated dates, in order, blank lines ignored", () => {
    expect(dates(`\n2024-01-01 2024-01-26\n  2024-12-25\n`)).toEqual([
      "2024-01-01",
      "2024-01-26",
      "2024-12-25",
    ]);
    expect(dates(`\n`)).toEqual([]);
  });

  test("a mistyped entry fails at load, naming itself", () => {
    expect(() => dates(`2024-01-01 2024-1-26`)).toThrow(
      'calendar data: "2024-1-26" is not a YYYY-MM-DD date',
    );
  });
});
