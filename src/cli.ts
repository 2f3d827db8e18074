#!/usr/bin/env -S deno run -A
/**
 * The command-line entry: the same sync as the Worker, from a terminal or a server cron, under
 * Deno (`deno task sync`, `deno run -A src/cli.ts …`) or Bun (`bun run src/cli.ts …`). Only
 * `node:` modules here, which both runtimes provide; see `src/cli/main.ts` and `--help`.
 */
import { cliWords } from "./words/cli.ts";
import process from "node:process";
import { EXIT } from "./cli/exit.ts";
import { main } from "./cli/main.ts";
import { parseCommandLine } from "./cli/args.ts";
import { DEFAULT_CLI_LANGUAGE } from "./cli/render.ts";

/** Writes `text` and resolves once it is handed to the OS (pipes may be asynchronous). */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === "") return resolve();
    stream.write(text, () => resolve());
  });
}

if (import.meta.main) {
  const pending: Promise<void>[] = [];
  let code: number;
  try {
    code = await main(process.argv.slice(2), {
      env: process.env,
      cwd: process.cwd(),
      stdout: (text) => void pending.push(write(process.stdout, text)),
      stderr: (text) => void pending.push(write(process.stderr, text)),
    });
  } catch (error) {
    // A bug, not a row or settings problem: exit 2 ("nothing could be done"), never 1.
    const detail = error instanceof Error ? error.stack ?? error.message : String(error);
    const invocation = parseCommandLine(process.argv.slice(2));
    const language = typeof invocation === "object" && invocation.language
      ? invocation.language
      : DEFAULT_CLI_LANGUAGE;
    pending.push(write(process.stderr, `${cliWords(language).internal}\n${detail}\n`));
    code = EXIT.fatal;
  }
  await Promise.all(pending);
  // Exit now: keep-alive connections and timers of the HTTP clients must not hold the process.
  process.exit(code);
}
