/** The README's Calendars snippet runs, and says what the calendars answer. */
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const section = readme.slice(readme.indexOf("## Calendars"), readme.indexOf("## Where data lives"));
const snippet = /```ts\n([\s\S]*?)```/.exec(section)![1];

test("the snippet runs as written", async () => {
  const mod = pathToFileURL(new URL("../../calendars/mod.ts", import.meta.url).pathname).href;
  const file = join(tmpdir(), `hv-readme-calendars-${process.pid}.ts`);
  writeFileSync(file, snippet.replace('"harvester/calendars"', JSON.stringify(mod)));
  await import(pathToFileURL(file).href);
});

test("its comments are what the calendars answer", () => {
  const tokyo = get_calendar("JPX");
  const day = Date.UTC(2024, 6, 1);
  expect(snippet).toContain("tokyo.session_minute_count(day); // 300");
  expect(tokyo.session_minute_count(day)).toBe(300);
  expect(snippet).toContain(
    'tokyo.is_open_on_minute(Date.parse("2024-07-01T03:00:00Z")); // false',
  );
  expect(tokyo.is_open_on_minute(Date.parse("2024-07-01T03:00:00Z"))).toBe(false);
  expect(tokyo.minute_to_session(Date.parse("2024-07-01T03:00:00Z"))).toBe(day);
  expect(snippet).toContain("// 2024-06-30T22:00Z");
  expect(get_calendar("us_futures").session_open(day)).toBe(Date.parse("2024-06-30T22:00:00Z"));
});
