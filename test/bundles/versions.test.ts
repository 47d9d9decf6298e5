/** Versions: naming, picking by timestamp, cleaning, and the CLI's listing. */
import { describe, expect, test } from "vitest";
import {
  clean,
  ingest,
  listVersions,
  load,
  parseTimestamp,
  resolveVersion,
} from "../../bundles/mod.ts";
import { NoIngestionError, UnknownBundleError } from "../../bundles/errors.ts";
import { versionName, versionTime } from "../../bundles/paths.ts";
import { cli } from "../cli/helpers.ts";
import { csvFolder, goodCsv, tempRoot } from "./helpers.ts";

const T = (iso: string) => Date.parse(iso);

async function threeVersions(): Promise<string> {
  const root = tempRoot();
  const dir = csvFolder({ "A.csv": goodCsv() });
  for (const t of ["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"]) {
    await ingest("csvdir", { root, environ: { CSVDIR: dir }, now: T(t) });
  }
  return root;
}

describe("bundle versions", () => {
  test("names round-trip like zipline's (':' written as ';')", () => {
    const ms = T("2024-07-03T13:30:05.123Z");
    expect(versionName(ms)).toBe("2024-07-03T13;30;05.123000");
    expect(versionTime(versionName(ms))).toBe(ms);
    expect(parseTimestamp("2024-07-03")).toBe(T("2024-07-03T23:59:59.999Z"));
  });
  test("load picks the newest version at or before a timestamp", async () => {
    const root = await threeVersions();
    expect(resolveVersion("csvdir", { root }).name).toBe("2024-03-01T00;00;00.000000");
    expect(resolveVersion("csvdir", { root, timestamp: T("2024-02-15T00:00:00Z") }).name).toBe(
      "2024-02-01T00;00;00.000000",
    );
    expect(() => resolveVersion("csvdir", { root, timestamp: T("2023-01-01T00:00:00Z") })).toThrow(
      NoIngestionError,
    );
    const r = await load("csvdir", { root, timestamp: T("2024-01-01T00:00:00Z") });
    expect(r.version.name).toBe("2024-01-01T00;00;00.000000");
    r.close();
  });
  test("clean --keep-last, --before and --after", async () => {
    let root = await threeVersions();
    expect(clean("csvdir", { root, keep_last: 1 }).map((v) => v.name.slice(0, 10))).toEqual([
      "2024-01-01",
      "2024-02-01",
    ]);
    expect(listVersions(root, "csvdir").length).toBe(1);
    root = await threeVersions();
    expect(clean("csvdir", { root, before: T("2024-02-01T00:00:00Z") }).length).toBe(1);
    expect(clean("csvdir", { root, after: T("2024-02-01T00:00:00Z") }).length).toBe(1);
    expect(listVersions(root, "csvdir").map((v) => v.name.slice(0, 10))).toEqual(["2024-02-01"]);
    expect(() => clean("csvdir", { root })).toThrow(/needs one of/);
  });
  test("an unknown bundle lists the known ones", async () => {
    await expect(ingest("nope", { root: tempRoot() })).rejects.toThrow(UnknownBundleError);
  });
  test("harvester bundles, ingest and clean from the CLI", async () => {
    const root = tempRoot();
    const env = {
      HARVESTER_ROOT: root,
      CSVDIR: csvFolder({ "A.csv": goodCsv(), "B.csv": goodCsv() }),
    };
    expect((await cli(["bundles"], env)).stdout).toMatch(/^csvdir <no ingestions>$/m);
    const ing = await cli(["ingest", "csvdir", "--no-show-progress"], env);
    expect(ing.stdout).toMatch(/ingested csvdir: version .*, 2 assets, 8 daily bars/);
    const listed = (await cli(["bundles"], env)).stdout;
    expect(listed).toMatch(/^csvdir \d{4}-\d{2}-\d{2}T\d{2};\d{2};\d{2}\.\d{6}$/m);
    expect(listed).toMatch(/^zipline-examples <no ingestions>$/m);
    const bad = await cli(["clean", "-b", "csvdir", "--keep-last", "x"], env);
    expect(bad.code).toBe(2);
    expect((await cli(["clean", "-b", "csvdir", "--keep-last", "0"], env)).stdout).toMatch(
      /^removed csvdir /,
    );
  });
});
