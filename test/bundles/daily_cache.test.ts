/** The binary daily cache answers exactly what the DuckDB reader answers. */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  BundleReader,
  DailyCache,
  ingest,
  load,
  openDaily,
  resolveVersion,
} from "../../bundles/mod.ts";
import { tempRoot } from "./helpers.ts";

describe("daily cache", () => {
  test("same bars, assets, adjustments and dividends as the database", async () => {
    const root = tempRoot();
    await ingest("zipline-examples", { root, environ: {} });
    const v = resolveVersion("zipline-examples", { root });
    expect(DailyCache.open(v)).toBeNull(); // ingest stays lean: the first daily read writes it
    (await openDaily("zipline-examples", { root, environ: {} })).close();
    const cache = DailyCache.open(v)!;
    expect(cache).not.toBeNull();
    const db = await load("zipline-examples", { root });
    expect(cache.assets).toEqual(db.assets);
    expect(cache.metadata).toEqual(db.metadata);
    expect(await cache.adjustments([7, 1])).toEqual(await db.adjustments([7, 1]));
    expect(await cache.dividends()).toEqual(await db.dividends());
    for (
      const [sids, start, end] of [
        [[0, 1, 2, 3, 4, 5, 6, 7, 8], db.metadata.first_session, db.metadata.last_session],
        [[7, 3], Date.UTC(2013, 9, 1), Date.UTC(2013, 10, 30)],
        [[8, 99], Date.UTC(2003, 11, 1), Date.UTC(2004, 0, 15)], // an unknown sid; sessions before the bundle
      ] as const
    ) {
      const a = await cache.loadDaily(sids, start, end), b = await db.loadDaily(sids, start, end);
      expect(Array.from(a.sessions)).toEqual(Array.from(b.sessions));
      for (const f of ["open", "high", "low", "close", "volume"] as const) {
        expect(Array.from(a.fields[f]!), f).toEqual(Array.from(b.fields[f]!));
      }
    }
    db.close();
  });
  test("the first daily read writes the cache; HARVESTER_DAILY_CACHE=off reads the database", async () => {
    const root = tempRoot();
    await ingest("zipline-examples", { root, environ: {} });
    const v = resolveVersion("zipline-examples", { root });
    const off = await openDaily("zipline-examples", {
      root,
      environ: { HARVESTER_DAILY_CACHE: "off" },
    });
    expect(off).toBeInstanceOf(BundleReader);
    off.close();
    const first = await openDaily("zipline-examples", { root, environ: {} });
    expect(first).toBeInstanceOf(DailyCache);
    rmSync(join(v.path, "daily_cache.bin"));
    const again = await openDaily("zipline-examples", { root, environ: {} });
    expect(again).toBeInstanceOf(DailyCache); // rewritten
    again.close();
  });
});
