/**
 * `harvester assets BUNDLE`: one row per asset of the bundle, checked against the shipped
 * bundle's own assets.csv (bundles/data/zipline_examples).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { cli } from "./helpers.ts";
import { REPO } from "./process.ts";

let root: string;
beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root });
});

/** The shipped metadata: sid,symbol,start_date,end_date,auto_close_date,first_traded,exchange,country_code. */
function shipped(): Record<string, string>[] {
  const [head, ...rows] = readFileSync(
    join(REPO, "bundles/data/zipline_examples/assets.csv"),
    "utf8",
  ).trim().split("\n");
  const cols = head.split(",");
  return rows.map((r) => Object.fromEntries(r.split(",").map((v, i) => [cols[i], v])));
}

describe("harvester assets", () => {
  test("CSV: symbol, sid, name, exchange, country, first and last date, auto-close date", async () => {
    const r = await cli(["assets", "zipline-examples"], { HARVESTER_ROOT: root });
    expect(r.code, r.stderr).toBe(0);
    const [head, ...rows] = r.stdout.trim().split("\n");
    expect(head).toBe("symbol,sid,name,exchange,country_code,first_date,last_date,auto_close_date");
    const expected = shipped()
      .sort((a, b) => a.symbol.localeCompare(b.symbol))
      .map((a) =>
        [
          a.symbol,
          a.sid,
          a.asset_name ?? a.symbol, // without an asset_name column the ingester names it by symbol
          a.exchange,
          a.country_code,
          a.start_date,
          a.end_date,
          a.auto_close_date,
        ]
          .join(",")
      );
    expect(rows).toEqual(expected);
    expect(rows).toContain("DELL,3,DELL,YAHOO,US,2004-01-02,2013-10-29,2013-10-30");
  });

  test("JSON, and -b as zipline's commands take the bundle", async () => {
    const r = await cli(["assets", "-b", "zipline-examples", "--format", "json"], {
      HARVESTER_ROOT: root,
    });
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.length).toBe(shipped().length);
    expect(list.find((a: { symbol: string }) => a.symbol === "AAPL")).toEqual({
      symbol: "AAPL",
      sid: 7,
      name: "AAPL",
      exchange: "YAHOO",
      country_code: "US",
      first_date: "2004-01-02",
      last_date: "2014-12-31",
      auto_close_date: "2015-01-01",
    });
  });

  test("a bundle not ingested says how to ingest it", async () => {
    const r = await cli(["assets", "quandl"], { HARVESTER_ROOT: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /bundle "quandl" has no ingestion yet; run `harvester ingest quandl` first/,
    );
  });
});
