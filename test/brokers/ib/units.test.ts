/**
 * The IB adapter's pure parts: settings from the URI and environment, the contracts file, IB's
 * times, the status and error-code tables, and order translation.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { InvalidInputError } from "../../../runtime/errors.ts";
import { ibSettings, loadContractOverrides } from "../../../runtime/brokers/ib/mod.ts";
import { classifyCode, reasonOf } from "../../../runtime/brokers/ib/errors.ts";
import { filterTime, parseIbTime } from "../../../runtime/brokers/ib/executions.ts";
import {
  clientIdOf,
  eventOfStatus,
  ibOrderOf,
  stateOfStatus,
} from "../../../runtime/brokers/ib/orders.ts";

describe("IB settings", () => {
  test("defaults: TWS paper port on this machine, client id 1, market data on 2", () => {
    const s = ibSettings(undefined, {});
    expect(s.orders).toEqual({ host: "127.0.0.1", port: 7497, clientId: 1 });
    expect(s.marketData.clientId).toBe(2);
    expect([s.marketDataMode, s.delayed, s.account, s.contractsFile]).toEqual([
      "bars",
      false,
      null,
      null,
    ]);
  });
  test("the URI wins over the environment, part by part", () => {
    const env = {
      HARVESTER_IB_HOST: "gw",
      HARVESTER_IB_PORT: "4002",
      HARVESTER_IB_CLIENT_ID: "5",
      HARVESTER_IB_MD_CLIENT_ID: "50",
      HARVESTER_IB_ACCOUNT: "DU9",
      HARVESTER_IB_CONTRACTS: "/x.json",
    };
    expect(ibSettings(undefined, env).orders).toEqual({ host: "gw", port: 4002, clientId: 5 });
    const s = ibSettings("tws.local::12", env);
    expect(s.orders).toEqual({ host: "tws.local", port: 4002, clientId: 12 });
    expect([s.marketData.clientId, s.account, s.contractsFile]).toEqual([50, "DU9", "/x.json"]);
  });
  test("delayed data comes as ticks; bad values say which", () => {
    expect(ibSettings("", { HARVESTER_IB_DELAYED: "true" }).marketDataMode).toBe("ticks");
    expect(() => ibSettings("h:port:1", {})).toThrow(/--broker-uri port.*whole number/);
    expect(() => ibSettings("a:1:2:3", {})).toThrow(InvalidInputError);
    expect(() => ibSettings("h:7497:3", { HARVESTER_IB_MD_CLIENT_ID: "3" })).toThrow(/own/);
    expect(() => ibSettings("", { HARVESTER_IB_MARKET_DATA: "quotes" })).toThrow(/bars/);
  });
});

describe("contracts file", () => {
  const dir = mkdtempSync(join(tmpdir(), "hv-ib-contracts-"));
  test("fields per symbol, checked", () => {
    const ok = join(dir, "ok.json");
    writeFileSync(ok, JSON.stringify({ "BRK.B": { symbol: "BRK B", primaryExchange: "NYSE" } }));
    expect(loadContractOverrides(ok).get("BRK.B")).toEqual({
      symbol: "BRK B",
      primaryExchange: "NYSE",
    });
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ SPY: { exchnage: "ARCA" } }));
    expect(() => loadContractOverrides(bad)).toThrow(/SPY\.exchnage.*unknown field/);
    writeFileSync(bad, JSON.stringify({ SPY: { conId: "1" } }));
    expect(() => loadContractOverrides(bad)).toThrow(/must be a number/);
    expect(() => loadContractOverrides(join(dir, "none.json"))).toThrow(/not a readable JSON/);
  });
});

describe("IB times", () => {
  test("zoned, UTC and epoch forms", () => {
    const t = Date.UTC(2024, 2, 4, 15, 30, 5);
    expect(parseIbTime("20240304 10:30:05 US/Eastern")).toBe(t);
    expect(parseIbTime("20240304  10:30:05")).toBe(t); // TWS's zone (New York by default)
    expect(parseIbTime("20240304-15:30:05")).toBe(t);
    expect(parseIbTime("20240304 15:30:05 UTC")).toBe(t);
    expect(parseIbTime(String(t / 1000))).toBe(t);
    expect(parseIbTime("20240704 09:30:00 America/New_York")).toBe(Date.UTC(2024, 6, 4, 13, 30));
    expect(parseIbTime("yesterday")).toBeNaN();
    expect(filterTime(t)).toBe("20240304-15:30:05");
  });
});

describe("IB statuses and codes", () => {
  const ctx = { state: "WORKING" as const, lastError: "", whyHeld: "" };
  test("each status: the event it stands for, and the state of a first sighting", () => {
    const rows = [
      "PendingSubmit",
      "ApiPending",
      "PreSubmitted",
      "Submitted",
      "PendingCancel",
      "ApiCancelled",
      "Cancelled",
      "Filled",
      "Inactive",
    ].map((s) => [s, eventOfStatus(s, ctx)?.event ?? null, stateOfStatus(s, 0)]);
    expect(rows).toEqual([
      ["PendingSubmit", null, "SUBMITTED"],
      ["ApiPending", null, "SUBMITTED"],
      ["PreSubmitted", "ack", "WORKING"],
      ["Submitted", "ack", "WORKING"],
      ["PendingCancel", "cancel_request", "PENDING_CANCEL"],
      ["ApiCancelled", "canceled", "CANCELED"],
      ["Cancelled", "canceled", "CANCELED"],
      ["Filled", null, "FILLED"],
      ["Inactive", null, "WORKING"], // not final (acknowledges an order still SUBMITTED)
    ]);
    expect(stateOfStatus("Submitted", 5)).toBe("PARTIALLY_FILLED");
    expect(eventOfStatus("Cancelled", { state: "SUBMITTED", lastError: "x (IB 110)", whyHeld: "" }))
      .toEqual({ event: "rejected", reason: "x (IB 110)" });
    expect(eventOfStatus("Inactive", { ...ctx, state: "SUBMITTED" })?.event).toBe("ack");
    expect(eventOfStatus("Inactive", { ...ctx, state: "PENDING_CANCEL" })).toBe(null);
  });
  test("codes", () => {
    expect(
      [1100, 1101, 1102, 2104, 2106, 2158, 2103, 201, 202, 10148, 399, 502, 504].map(classifyCode),
    )
      .toEqual([
        "link_lost",
        "link_restored_data_lost",
        "link_restored",
        "farm_ok",
        "farm_ok",
        "farm_ok",
        "farm_broken",
        "order_rejected",
        "order_canceled",
        "cancel_rejected",
        "warning",
        "error",
        "error",
      ]);
    expect(reasonOf("Order rejected - reason:NO PERMISSIONS")).toBe("NO PERMISSIONS");
    expect(reasonOf("Order Canceled - reason:")).toBe("Order Canceled - reason:");
  });
  test("orders: our id rides in orderRef; foreign orders without one get an IB id", () => {
    const o = ibOrderOf({
      client_order_id: "hv1-1",
      symbol: "AAPL",
      amount: -7,
      limit_price: 10,
      stop_price: 9,
      time_in_force: "gtc",
    }, "DU1");
    expect(o).toMatchObject({
      action: "SELL",
      totalQuantity: 7,
      orderType: "STP LMT",
      lmtPrice: 10,
      auxPrice: 9,
      tif: "GTC",
      orderRef: "hv1-1",
      account: "DU1",
      transmit: true,
    });
    expect([clientIdOf("hv1-1", 5), clientIdOf("", 5), clientIdOf(undefined, 5)]).toEqual([
      "hv1-1",
      "ib-perm-5",
      "ib-perm-5",
    ]);
  });
});
