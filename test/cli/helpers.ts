/** Runs the CLI in-process and captures what it prints. */
import { runCli } from "../../runtime/cli/main.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  let stdout = "", stderr = "";
  const code = await runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTerminal: false,
    env,
  });
  return { code, stdout, stderr };
}
