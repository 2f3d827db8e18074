/**
 * Run by the benchmark in a fresh process, `deno run -A --no-code-cache bench/eval_bundle.ts
 * <module.js>`: imports the module once and prints `{"importMs", "importCpuMs"}` as JSON. That
 * is V8 parsing, compiling and running the module's top level, plus Deno's own module loading
 * (it parses the file once more to find imports), so it bounds what workerd spends from above.
 */
import process from "node:process";

const file = Deno.args[0];
if (!file) {
  console.error("usage: eval_bundle.ts <module.js>");
  Deno.exit(2);
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const url = new URL(file, `file://${Deno.cwd()}/`).href;
const cpu0 = cpuMs();
const t0 = performance.now();
const module = await import(url);
const importMs = performance.now() - t0;
const importCpuMs = cpuMs() - cpu0;
if (typeof module.default?.fetch !== "function") {
  console.error("the module's default export has no fetch handler");
  Deno.exit(1);
}
console.log(JSON.stringify({ importMs, importCpuMs }));
