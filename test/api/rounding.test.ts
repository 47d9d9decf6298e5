/** numpy's round(x, 3), which zipline applies to adjusted history windows. */
import { describe, expect, test } from "vitest";
import { roundHistory } from "../../runtime/portal/rounding.ts";

describe("roundHistory", () => {
  test("rounds to 3 decimals", () => {
    expect(roundHistory(30.281375796178345)).toBe(30.281);
    expect(roundHistory(29.9196)).toBe(29.92);
    expect(roundHistory(-1.23456)).toBe(-1.235);
  });
  test("takes exact halves to the even neighbour, as numpy does", () => {
    // 0.0125 * 1000 is exactly 12.5 in binary floating point; 0.0135 * 1000 is 13.5.
    expect(roundHistory(0.0125)).toBe(0.012);
    expect(roundHistory(0.0135)).toBe(0.014);
    expect(roundHistory(2.5 / 1000)).toBe(0.002);
  });
  test("keeps NaN and infinities", () => {
    expect(roundHistory(NaN)).toBeNaN();
    expect(roundHistory(Infinity)).toBe(Infinity);
  });
});
