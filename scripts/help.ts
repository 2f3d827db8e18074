/**
 * `--help` for the scripts behind `deno task …`: asked anywhere on the command line, after the
 * `--` that `deno task name -- args` passes on too.
 */

/** Whether `--help` or `-h` is among the arguments (a `--` before it does not count). */
export function helpAsked(args: readonly string[]): boolean {
  return args.some((arg) => arg === "--help" || arg === "-h");
}

/** The arguments without the `--` separators `deno task name -- args` passes on. */
export function withoutSeparators(args: readonly string[]): string[] {
  return args.filter((arg) => arg !== "--");
}

/**
 * Prints `text` and exits 0 when help is asked; returns otherwise.
 *
 * @example
 * exitWithHelpIfAsked("Usage: deno task demo", Deno.args);
 */
export function exitWithHelpIfAsked(text: string, args: readonly string[]): void {
  if (!helpAsked(args)) return;
  console.log(text.trimEnd());
  Deno.exit(0);
}
