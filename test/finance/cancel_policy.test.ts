/** Cancel policies, as zipline's tests/finance/test_cancel_policy.py checks them. */
import { describe, expect, test } from "vitest";
import { EODCancel, NeverCancel } from "../../runtime/finance/cancel_policy.ts";

describe("cancel policies", () => {
  test("EODCancel cancels at the session's end only, warning by default", () => {
    const p = new EODCancel();
    expect(p.should_cancel("session_end")).toBe(true);
    expect(p.should_cancel("bar")).toBe(false);
    expect(p.warn_on_cancel).toBe(true);
    expect(new EODCancel({ warn_on_cancel: false }).warn_on_cancel).toBe(false);
  });

  test("NeverCancel never cancels and never warns", () => {
    const p = new NeverCancel();
    expect([p.should_cancel("session_end"), p.should_cancel("bar")]).toEqual([false, false]);
    expect(p.warn_on_cancel).toBe(false);
  });
});
