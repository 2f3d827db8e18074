#!/usr/bin/env -S deno run -A
/**
 * The command-line entry: the same sync as the Worker, from a terminal or a server cron, under
 * Deno (`deno task sync`, `deno run -A src/cli.ts …`) or Bun (`bun run src/cli.ts …`). Only
 * `node:` modules here, which both runtimes provide; see `src/cli/main.ts` and `--help`.
 */
import process from "node:process";
import { main } from "./cli/main.ts";

/** Writes `text` and resolves once it is handed to the OS (pipes may be asynchronous). */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === "") return resolve();
    stream.write(text, () => resolve());
  });
}

if (import.meta.main) {
  const pending: Promise<void>[] = [];
  const code = await main(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => void pending.push(write(process.stdout, text)),
    stderr: (text) => void pending.push(write(process.stderr, text)),
  });
  await Promise.all(pending);
  // Exit now: keep-alive connections and timers of the HTTP clients must not hold the process.
  process.exit(code);
}
