/**
 * How the benchmark measures one run inside its own process: CPU time (whole process and the
 * JavaScript thread), wall time, peak heap (sampled), bytes allocated, and peak RSS (the
 * kernel's high-water mark, reset before the run).
 */
import process from "node:process";
import v8 from "node:v8";

const MB = 1024 * 1024;
/** Period of the heap sampler while a run is in progress. */
export const HEAP_SAMPLE_MS = 5;

/** What one measured run cost. */
export interface Cost {
  /** CPU time of the whole bench process (user + system, every thread), ms. */
  cpuMs: number;
  /** CPU time of the JavaScript thread alone (Linux schedstat), ms; null elsewhere. */
  jsThreadCpuMs: number | null;
  wallMs: number;
  /** Highest sampled V8 heap in use + external memory (ArrayBuffers, strings outside), MB. */
  heapPeakMB: number;
  /** The same right before the run (after a full GC), MB: what was live already. */
  heapBeforeMB: number;
  /** Bytes V8 allocated during the run (garbage included), MB. */
  allocatedMB: number;
  /** Peak resident set size of the process during the run (VmHWM after a reset), MB. */
  rssPeakMB: number;
  /** How rssPeakMB was obtained: the kernel's high-water mark, or samples. */
  rssMethod: "VmHWM" | "sampled";
}

/** Samples the heap; call {@linkcode HeapProbe.sample} at interesting moments too. */
export class HeapProbe {
  peak = 0;
  rssPeak = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #sampleRss: boolean;

  constructor(sampleRss: boolean) {
    this.#sampleRss = sampleRss;
  }

  /** Records the current heap use (≈2 µs; RSS only when the kernel keeps no high-water mark). */
  sample = (): void => {
    const heap = v8.getHeapStatistics();
    const used = heap.used_heap_size + heap.external_memory;
    if (used > this.peak) this.peak = used;
    if (this.#sampleRss) {
      const rss = Deno.memoryUsage().rss;
      if (rss > this.rssPeak) this.rssPeak = rss;
    }
  };

  start(): void {
    this.sample();
    this.#timer = setInterval(this.sample, HEAP_SAMPLE_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}

/** Runs a full GC when the process was started with `--v8-flags=--expose-gc`. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}

function readProc(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/** Nanoseconds the calling (JavaScript) thread has run on a CPU, or undefined off Linux. */
function jsThreadCpuNs(): number | undefined {
  const text = readProc("/proc/thread-self/schedstat");
  const ns = text ? Number(text.split(" ")[0]) : NaN;
  return Number.isFinite(ns) ? ns : undefined;
}

/** Resets the kernel's peak-RSS mark (`VmHWM`) to the current RSS; false when unsupported. */
function resetPeakRss(): boolean {
  try {
    Deno.writeTextFileSync("/proc/self/clear_refs", "5");
    return peakRssBytes() !== undefined;
  } catch {
    return false;
  }
}

function peakRssBytes(): number | undefined {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readProc("/proc/self/status") ?? "");
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Bytes V8 has allocated since it started (newer V8s; absent from Node's types). */
function allocated(heap: v8.HeapInfo): number {
  return (heap as v8.HeapInfo & { total_allocated_bytes?: number }).total_allocated_bytes ?? NaN;
}

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Measures `work`: a full GC first unless `options.gc` is false (outside the measurement), then
 * CPU, wall time and memory from just before `work` starts to just after it settles. `work` gets
 * the probe so that it can sample the heap at I/O boundaries, where big responses are alive.
 */
export async function measure<T>(
  work: (probe: HeapProbe) => Promise<T>,
  options: { gc?: boolean } = {},
): Promise<{ result: T; cost: Cost }> {
  if (options.gc !== false) collectGarbage();
  const hwm = resetPeakRss();
  const probe = new HeapProbe(!hwm);
  const before = v8.getHeapStatistics();
  probe.start();
  const thread0 = jsThreadCpuNs();
  const cpu0 = cpuMicros();
  const wall0 = performance.now();
  let result: T;
  try {
    result = await work(probe);
  } finally {
    probe.stop();
  }
  const wall1 = performance.now();
  const cpu1 = cpuMicros();
  const thread1 = jsThreadCpuNs();
  const after = v8.getHeapStatistics();
  const rssPeak = hwm ? peakRssBytes() ?? 0 : probe.rssPeak;
  return {
    result,
    cost: {
      cpuMs: (cpu1 - cpu0) / 1000,
      jsThreadCpuMs: thread0 !== undefined && thread1 !== undefined
        ? (thread1 - thread0) / 1e6
        : null,
      wallMs: wall1 - wall0,
      heapPeakMB: probe.peak / MB,
      heapBeforeMB: (before.used_heap_size + before.external_memory) / MB,
      allocatedMB: (allocated(after) - allocated(before)) / MB,
      rssPeakMB: rssPeak / MB,
      rssMethod: hwm ? "VmHWM" : "sampled",
    },
  };
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
