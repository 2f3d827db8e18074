/**
 * Fingerprints of deals: short hashes that tell whether a deal changed since it was last sent,
 * without keeping what it contained (KV must never hold phones or e-mails). Derived from the
 * column table (`src/fields.ts`): every column of a deal enters, so a field that reaches a
 * payload is fingerprinted by construction.
 */
import type { Deal } from "../deal.ts";
import { FIELDS } from "../fields.ts";
import { hash53 } from "../util/hash.ts";

// Separators that cannot occur in trimmed cell text, so different deals cannot collide by
// shifting text between fields or between the items of a list.
const FIELD = "\u001f";
const ITEM = "\u001e";

const MATCHING = FIELDS.filter((spec) => spec.matching);
const REST = FIELDS.filter((spec) => !spec.matching && spec.field !== "orderNumber");
/**
 * The columns of the first version enter every fingerprint; a column added since enters only
 * when it has a value, so adding one changes no fingerprint stored before it.
 */
const FIRST_VERSION = REST.findIndex((spec) => spec.field === "comment") + 1;

function text(value: unknown): string {
  if (value === undefined) return "";
  return Array.isArray(value) ? value.join(ITEM) : String(value);
}

/** What Calltouch matches the deal to a lead by: contacts and the deal date. */
function matchingText(deal: Deal, salt: string): string {
  const print = MATCHING.map((spec) => text(deal[spec.field])).join(FIELD);
  return salt === "" ? print : `${print}${FIELD}${salt}`;
}

/**
 * Fingerprint of everything that is sent for a deal (the sheet row number excluded: sorting
 * the sheet changes nothing).
 *
 * @example
 * if (fingerprint(deal) !== stored.fingerprint) planUpdate(deal);
 */
export function fingerprint(deal: Deal, salt = ""): string {
  let print = matchingText(deal, salt);
  REST.forEach((spec, i) => {
    const value = text(spec.print ? spec.print(deal) : deal[spec.field]);
    if (i < FIRST_VERSION) print += FIELD + value;
    else if (value !== "") print += `${FIELD}${spec.field}=${value}`;
  });
  for (const field in deal.custom) print += `${FIELD}custom.${field}=${deal.custom[field]}`;
  return hash53(print);
}

/**
 * Fingerprint of the matching inputs only: when it changes, an update carries `reMatching`.
 * `salt` holds what else changes every date sent (the Calltouch project's zone, when set).
 */
export function matchingFingerprint(deal: Deal, salt = ""): string {
  return hash53(matchingText(deal, salt));
}
