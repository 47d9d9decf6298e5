/** `addToBar`: the fold today's partial bar is made with, in minute backtests and live alike. */
import { describe, expect, test } from "vitest";
import { addToBar } from "../../runtime/portal/bar_fields.ts";

describe("addToBar", () => {
  const minutes = [NaN, 10, 12, NaN, 9, 11, NaN];
  const fold = (field: "open" | "high" | "low" | "close" | "volume") =>
    minutes.reduce((acc, v) => addToBar(acc, v, field), field === "volume" ? 0 : NaN);
  test("the first open, highest high, lowest low, last close, summed volume; gaps skipped", () => {
    expect(fold("open")).toBe(10);
    expect(fold("high")).toBe(12);
    expect(fold("low")).toBe(9);
    expect(fold("close")).toBe(11);
    expect(fold("volume")).toBe(42);
  });
  test("no minute with a bar: NaN, or 0 volume", () => {
    for (const f of ["open", "high", "low", "close"] as const) {
      expect(addToBar(NaN, NaN, f)).toBeNaN();
    }
    expect(addToBar(0, NaN, "volume")).toBe(0);
  });
});
