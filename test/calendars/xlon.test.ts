/** Spot checks of XLON rules beyond the answer file's last year (2023). */
import { describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";

const xlon = get_calendar("XLON");
const ms = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const closed = (iso: string) => !xlon.is_session(ms(iso));
const closesAt = (iso: string) => new Date(xlon.session_close(ms(iso))).toISOString().slice(11, 16);

describe("XLON rules", () => {
  test("Christmas on Saturday (2027): closed Mon 27th and Tue 28th, half day Fri 24th", () => {
    expect(["2027-12-27", "2027-12-28"].map(closed)).toEqual([true, true]);
    expect(closed("2027-12-29")).toBe(false);
    expect(closesAt("2027-12-24")).toBe("12:30"); // GMT in winter
    expect(closesAt("2027-12-31")).toBe("12:30");
  });

  test("Christmas on Sunday (2033): closed Mon 26th and Tue 27th, eves close the Friday before", () => {
    expect(["2033-12-26", "2033-12-27"].map(closed)).toEqual([true, true]);
    expect(closed("2033-12-28")).toBe(false);
    expect(closesAt("2033-12-23")).toBe("12:30");
    expect(closesAt("2033-12-30")).toBe("12:30");
    expect(closed("2033-01-03")).toBe(true); // New Year on Saturday, observed Monday
  });

  test("Easter and bank holidays in 2044; the VE-day and jubilee moves stay one-off", () => {
    for (const d of ["2044-04-15", "2044-04-18", "2044-05-02", "2044-05-30", "2044-08-29"]) {
      expect(closed(d), d).toBe(true);
    }
    expect(closed("2020-05-04")).toBe(false);
    expect(closed("2020-05-08")).toBe(true);
    expect(closed("2022-05-30")).toBe(false);
    expect(["2022-06-02", "2022-06-03"].map(closed)).toEqual([true, true]);
    expect(closesAt("2044-08-30")).toBe("15:30"); // 16:30 BST
  });
});
