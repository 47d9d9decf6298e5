/**
 * `table` rules (lunar-calendar holidays and the like): parsed when a calendar first asks for a
 * year, not when the spec holding them is imported — every command imports every spec.
 */
import { describe, expect, test } from "vitest";
import { table } from "../../calendars/rules.ts";
import { dayFromYmd } from "../../calendars/days.ts";

describe("table rules", () => {
  test("dates by year, moved by the offset, kept on the weekdays and span given", () => {
    const eid = table("Eid", ["2023-04-21", "2024-04-10", "2024-12-30"], {
      offsetDays: 1,
      daysOfWeek: [1, 2, 3, 4, 5],
      end: "2024-12-30",
    });
    expect(eid.dates(2023)).toEqual([]); // 2023-04-22 is a Saturday
    expect(eid.dates(2024)).toEqual([dayFromYmd(2024, 4, 11)]); // 12-31 is past the end
    expect(eid.dates(2025)).toEqual([]);
  });

  test("an entry that is no date fails when the table is first read, naming it", () => {
    const bad = table("Bad", ["2024-01-01", "2024-13-01"]);
    expect(() => bad.dates(2024)).toThrow("bad rule date 2024-13-01");
  });
});
