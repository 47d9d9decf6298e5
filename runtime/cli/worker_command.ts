/** `harvester worker --queue redis://HOST:PORT`: runs sweep cells from a Redis queue. */
import { availableParallelism } from "node:os";
import { harvesterRoot } from "../../bundles/mod.ts";
import { withDotEnv } from "../config/dotenv.ts";
import { type Command, stringOpt, UsageError } from "./command.ts";

function positiveInt(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`${flag}: "${text}" is not a positive whole number`);
  }
  return n;
}

export const workerCommand: Command = {
  name: "worker",
  summary:
    "Runs sweep cells that `harvester sweep --queue` enqueued on Redis (BullMQ), each in a process of its own, until stopped.",
  usage:
    "worker --queue redis://HOST:PORT [--concurrency N] [--lock-duration MS] [--stalled-interval MS] [--cell-memory MB]",
  help: [
    "--queue redis://H:P       the Redis the sweeps enqueue on",
    "--concurrency N           cells at a time (default: the number of cores)",
    "--lock-duration MS        how long a cell stays claimed without a renewal (default 30000); a worker",
    "                          killed mid-cell loses its claim after this and another worker runs the cell",
    "--stalled-interval MS     how often this worker looks for cells whose worker died (default 30000)",
    "--cell-memory MB          V8 heap limit of each cell's process",
    "Bundles come from this machine's HARVESTER_ROOT: a cell whose bundle version is missing is refused.",
    "Prints one JSON line per event (ready, cell_started, cell_finished, cell_failed). Ctrl-C or SIGTERM",
    "lets the running cells finish, then stops; a second signal stops at once.",
  ],
  options: {
    queue: { type: "string" },
    concurrency: { type: "string" },
    "lock-duration": { type: "string" },
    "stalled-interval": { type: "string" },
    "cell-memory": { type: "string" },
  },
  positionals: [0, 0],
  async run(args, io) {
    const url = stringOpt(args, "queue");
    if (!url) {
      throw new UsageError(`--queue redis://HOST:PORT is required; usage: harvester ${this.usage}`);
    }
    const env = withDotEnv(io.env);
    const { runWorker } = await import("../sweep/queue/worker.ts");
    const memory = stringOpt(args, "cell-memory");
    await runWorker({
      url,
      concurrency: positiveInt(
        "--concurrency",
        stringOpt(args, "concurrency"),
        availableParallelism(),
      ),
      lock_duration_ms: positiveInt("--lock-duration", stringOpt(args, "lock-duration"), 30_000),
      stalled_interval_ms: positiveInt(
        "--stalled-interval",
        stringOpt(args, "stalled-interval"),
        30_000,
      ),
      memory_mb: memory === undefined ? undefined : positiveInt("--cell-memory", memory, 0),
      root: harvesterRoot(env),
      environ: env,
      log: (line) => io.stdout(`${JSON.stringify({ ts: new Date().toISOString(), ...line })}\n`),
    });
    return 0;
  },
};
