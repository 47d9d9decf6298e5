/** A live session's sleeps, which a stop ends early. */

/** Sleeps (`sleep`) that one call (`wake`) ends, all at once. */
export interface WakeableSleep {
  /** Resolves after `ms`, or at the next `wake`. */
  sleep(ms: number): Promise<void>;
  /** Ends the waits in progress. */
  wake(): void;
}

/** A sleep that `wake` interrupts (a stop signal must not wait for the next bar). */
export function wakeableSleep(): WakeableSleep {
  const sleepers = new Set<() => void>();
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        sleepers.add(done);
      }),
    wake: () => {
      for (const done of [...sleepers]) done();
    },
  };
}
