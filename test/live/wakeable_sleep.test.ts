/** A live session's sleeps: each ends at its time, or all at once at `wake` (a stop signal). */
import { expect, test } from "vitest";
import { wakeableSleep } from "../../runtime/live/wakeable_sleep.ts";

test("wake ends every sleep in progress; later sleeps wait again", async () => {
  const s = wakeableSleep();
  const ended: string[] = [];
  const long = s.sleep(60_000).then(() => ended.push("long"));
  const longer = s.sleep(120_000).then(() => ended.push("longer"));
  s.wake();
  await Promise.all([long, longer]);
  expect(ended).toEqual(["long", "longer"]);
  // A sleep begun after the wake is not ended by it: it ends at its own time.
  let done = false;
  const short = s.sleep(5).then(() => (done = true));
  expect(done).toBe(false);
  await short;
  expect(done).toBe(true);
});
