/** Reading the Google side's answers. (Requests go through `src/util/request.ts`.) */

/** Parses JSON, returning `undefined` instead of throwing. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
