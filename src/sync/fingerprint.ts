/**
 * Fingerprints of deals: short hashes that tell whether a deal changed since it was last sent,
 * without keeping what it contained (KV must never hold phones or e-mails).
 */
import type { Deal } from "../deal.ts";
import { hash53 } from "../util/hash.ts";

// Separators that cannot occur in trimmed cell text, so different deals cannot collide by
// shifting text between fields.
const FIELD = "\u001f";
const ITEM = "\u001e";

/** What Calltouch matches the deal to a lead by: contacts and the deal date. */
function matchingText(deal: Deal): string {
  return deal.orderDate + FIELD + deal.phones.join(ITEM) + FIELD + deal.emails.join(ITEM);
}

/**
 * Fingerprint of everything that is sent for a deal (the sheet row number excluded: sorting
 * the sheet changes nothing).
 *
 * @example
 * if (fingerprint(deal) !== stored.f) planUpdate(deal);
 */
export function fingerprint(deal: Deal): string {
  return hash53(
    matchingText(deal) + FIELD + deal.status + FIELD + deal.statusDate + FIELD +
      (deal.revenue ?? "") + FIELD + deal.tags.join(ITEM) + FIELD + (deal.manager ?? "") +
      FIELD + (deal.orderName ?? "") + FIELD + (deal.comment ?? ""),
  );
}

/** Fingerprint of the matching inputs only: when it changes, an update carries `reMatching`. */
export function matchingFingerprint(deal: Deal): string {
  return hash53(matchingText(deal));
}
