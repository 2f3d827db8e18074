/** A `RATE_GATE` namespace in this process, as Miniflare's would be: one `RateGate` per name. */
import type { Clock } from "../../src/util/clock.ts";
import { RateGate, type RateGateNamespace } from "../../src/util/rate_gate.ts";

/** The namespace on `clock` (the test's), and every start its objects granted, by name. */
export function localRateGate(clock: Clock): RateGateNamespace & { starts: Map<string, number[]> } {
  const objects = new Map<string, RateGate>();
  const namespace = {
    starts: new Map<string, number[]>(),
    idFromName: (name: string) => name,
    get: (id: unknown) => ({
      fetch: async (input: string, init?: RequestInit) => {
        const name = String(id);
        let gate = objects.get(name);
        if (!gate) objects.set(name, gate = new RateGate(undefined, undefined, clock));
        const response = await gate.fetch(new Request(input, init));
        const { at } = await response.clone().json();
        if (at !== null) namespace.starts.set(name, [...(namespace.starts.get(name) ?? []), at]);
        return response;
      },
    }),
  };
  return namespace;
}
