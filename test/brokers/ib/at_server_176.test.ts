/**
 * The IB adapter's suites a second time, against a fake TWS that answers server version 176
 * (TWS 10.19) instead of 193: the layouts before FA_PROFILE_DESUPPORT, and the completed orders
 * `@stoqey/ib` 1.6.10 cannot read there (the adapter resolves finished orders from open orders
 * and executions instead; see runtime/brokers/ib/resolver.ts).
 */
import { vi } from "vitest";

// Read by every fake TWS these suites start (test/fakes/tws/versions.ts), in this file's worker.
vi.stubEnv("HARVESTER_FAKE_TWS_VERSION", "176");
await import("./orders.test.ts");
await import("./order_errors.test.ts");
await import("./executions.test.ts");
await import("./connection.test.ts");
await import("./restart.test.ts");
await import("./corrections.test.ts");
await import("./market_data.test.ts");
await import("./contracts.test.ts");

const { expect, test } = await import("vitest");
const { rig } = await import("./helpers.ts");
test("the fakes of this run answer 176, and the adapter says so", async () => {
  const r = await rig();
  try {
    expect(r.tws.versions()).toEqual([176]);
    const up = r.events.find((e) => e.type === "connection" && /^TWS\/IB/.test(e.detail ?? ""));
    expect(up?.type === "connection" && up.detail).toMatch(/server version 176$/);
  } finally {
    await r.close();
  }
});
