/** Rate gates and limiters in this process, as a Worker's `RATE_GATE` namespace would hold them. */
import type { Clock } from "../../src/util/clock.ts";
import { GateLimiter, isolateGates, type RateGateNamespace } from "../../src/util/rate_gate.ts";

/** The namespace on `clock` (the test's), and every start its objects granted, by name. */
export function localRateGate(clock: Clock): RateGateNamespace & { starts: Map<string, number[]> } {
  const gates = isolateGates(clock);
  const namespace = {
    starts: new Map<string, number[]>(),
    idFromName: (name: string) => name,
    get: (id: unknown) => ({
      fetch: async (input: string, init?: RequestInit) => {
        const name = String(id);
        const response = await gates.get(gates.idFromName(name)).fetch(input, init);
        const { at } = await response.clone().json();
        if (typeof at === "number") {
          namespace.starts.set(name, [...(namespace.starts.get(name) ?? []), at]);
        }
        return response;
      },
    }),
  };
  return namespace;
}

/** A limiter of `limit` requests per `windowMs` in this process (requests of up to 30 s). */
export function localLimiter(
  options: { limit: number; windowMs: number; clock: Clock },
): GateLimiter {
  return new GateLimiter({
    namespace: isolateGates(options.clock),
    key: "test",
    limit: options.limit,
    windowMs: options.windowMs,
    requestMs: 30_000,
    lateMs: 0,
    clock: options.clock,
  });
}
