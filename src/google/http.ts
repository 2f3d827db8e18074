/** Reading the Google side's answers. (Requests go through `src/util/request.ts`.) */

/** Longest piece of a Google message quoted in ours. */
const MAX_QUOTED = 300;

/** Shortens text taken from a remote answer before it is quoted in a message. */
export function quoted(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_QUOTED ? `${flat.slice(0, MAX_QUOTED)}…` : flat;
}

/** Parses JSON, returning `undefined` instead of throwing. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
