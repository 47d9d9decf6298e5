import type { Broker } from "../model/broker.ts";

/**
 * Fault injection for the crash tests (`HARVESTER_FAULT=exit_after_submit:N`): the process dies
 * as `kill -9` would, right after the N-th order reached the venue — between send and the state
 * save that would have recorded it.
 */
export function injectFaults(broker: Broker, env: Record<string, string | undefined>): void {
  const m = /^exit_after_submit:(\d+)$/.exec(env.HARVESTER_FAULT ?? "");
  if (!m) return;
  let left = Number(m[1]);
  const submit = broker.submit.bind(broker);
  broker.submit = (r) => {
    const sent = submit(r);
    if (--left === 0) Deno.exit(137);
    return sent;
  };
}
