/**
 * A reader that stops early (`harvester calendar XNYS | head -3`): the command ends quietly with
 * status 0, no "internal error" about the pipe. Also `writeAll` itself: a broken pipe ends the
 * process with 0, any other write error is still thrown.
 */
import { describe, expect, test } from "vitest";
import { launchArgs } from "../../runtime/cli/launch_args.ts";
import { writeAll } from "../../runtime/cli/main.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { REPO } from "./process.ts";

describe("a reader that stops early", () => {
  test(
    "harvester calendar, its output cut after the first piece: status 0, nothing on stderr",
    async () => {
      const child = new Deno.Command(Deno.execPath(), {
        // Every XNYS session from 1990: several hundred KB, far more than a pipe's 64 KB buffer.
        args: [
          ...launchArgs(new URL(`file://${REPO}`)),
          "calendar",
          "XNYS",
          "--start",
          "1990-01-02",
        ],
        env: { NO_COLOR: "1", HARVESTER_ROOT: tempRoot() },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const reader = child.stdout.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toMatch(/^session,open,close\n/);
      await reader.cancel(); // closes our end: the next write meets a broken pipe
      const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
      expect(stderr).toBe("");
      expect(status.code).toBe(0);
    },
    60_000,
  );

  test("writeAll: a broken pipe exits with 0; another error is thrown", () => {
    const codes: number[] = [];
    const broken = {
      writeSync(): number {
        throw new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
      },
    };
    writeAll(broken, "x", (c) => void codes.push(c));
    expect(codes).toEqual([0]);
    const full = {
      writeSync(): number {
        throw new Error("disk full");
      },
    };
    expect(() => writeAll(full, "x", (c) => void codes.push(c))).toThrow("disk full");
    expect(codes).toEqual([0]);
  });
});
