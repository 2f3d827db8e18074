/**
 * Rewrites a state stored under other keys under the current one, in memory, once: a state of a
 * build before issue 22 (unkeyed hashes) or one saved before `STATE_KEY` was rotated. Pure.
 *
 * A stored hash is rewritten when it is recognised: when the deal as it reads now hashes to it
 * under one of the keys the run still knows (the current one, `STATE_KEY_PREVIOUS`, the
 * Calltouch token's, or unkeyed). Then the deal is what was stored, and nothing is sent again.
 * A hash that is not recognised is dropped for what stands for "unknown" in its field, which is
 * what a mismatch would have meant anyway: a fingerprint for "changed" (sent), a matching
 * fingerprint for "re-match", a held field for "send it", a refused request for "release". So is
 * every hash of a deal that no row reads now (a deleted or invalid row): no hash that covers a
 * person stays in KV under an old key. Raw-row hashes are dropped (they cannot be recognised
 * without the cells: the row is parsed once more, and the plan stores the new one).
 *
 * Entries of a deal whose ID is a phone or an e-mail (which builds before issue 22 sent and
 * stored as they were) are removed: the ID itself was the contact.
 */
import type { Deal } from "../deal.ts";
import type { KnownRow } from "../columns/parse.ts";
import { fingerprintText, matchingText } from "../columns/fingerprint.ts";
import { type Known, knownOf, type PayloadSettings } from "../columns/payload.ts";
import type { KnownPart } from "../columns/spec.ts";
import { idContact } from "../sheet/ids.ts";
import { type HashKey, hashText, LEGACY } from "../util/hash.ts";
import { requestHash, sameRequest } from "./request_hash.ts";
import type { DealState, SyncState } from "./state.ts";

/** A refused request's hash that matches no request: the deal is sent again (released). */
export const RELEASED_REQUEST = "k:";

/** What {@linkcode rekeyState} needs. */
export interface RekeyOptions {
  /**
   * What payloads are built with, `hashKey` being the current key (held fields and refused
   * requests are hashed over them).
   */
  settings: PayloadSettings;
  /** Older keys the state may be under, in the order they are tried (unkeyed is tried last). */
  previous: readonly HashKey[];
  /** The fingerprints' salt (see `planSync`). */
  salt?: string;
}

/** What {@linkcode rekeyState} did, by deal. */
export interface RekeyCounts {
  /** Deals whose hashes were all recognised and rewritten. */
  rekeyed: number;
  /** Deals with a hash that was not recognised, or that no row reads now: hashes dropped. */
  scrubbed: number;
  /** Entries removed because their ID is a phone or an e-mail. */
  removed: number;
}

const KNOWN_PARTS: readonly KnownPart[] = ["status", "tags", "custom"];

/**
 * Rewrites, in `state`, every hash of the deals read in this run (`deals`) under
 * `settings.hashKey`, drops those it does not recognise and those of deals not read. Rows
 * recognised by their raw hash (`known`) were stored under the current key already: left as
 * they are.
 *
 * @example
 * if (journal.migrating) {
 *   rekeyState(sheet.deals, sheet.knownRows, state, { settings, previous, salt });
 *   journal.rekeyed();
 * }
 */
export function rekeyState(
  deals: readonly Deal[],
  known: readonly KnownRow[],
  state: SyncState,
  options: RekeyOptions,
): RekeyCounts {
  const { settings, salt = "" } = options;
  const current = settings.hashKey;
  const keys: HashKey[] = [current, ...options.previous.filter((k) => k !== current), LEGACY];
  const counts: RekeyCounts = { rekeyed: 0, scrubbed: 0, removed: 0 };
  const seen = new Set<string>();
  for (const row of known) seen.add(row.orderNumber);

  /** The current key's hash of `text` when `stored` is a hash of it under a key known; else "". */
  const recognised = (stored: string, text: string): string => {
    if (stored === "") return "";
    for (const key of keys) {
      if (hashText(key, text) === stored) return key === current ? stored : hashText(current, text);
    }
    return "";
  };

  for (const deal of deals) {
    const entry = state.get(deal.orderNumber);
    if (!entry) continue;
    seen.add(deal.orderNumber);
    let whole = true;
    const print = recognised(entry.fingerprint, fingerprintText(deal, salt));
    const matching = recognised(entry.matching, matchingText(deal, salt));
    whole &&= print !== "" || entry.fingerprint === "";
    whole &&= matching !== "" || entry.matching === "";
    entry.fingerprint = print;
    entry.matching = matching;
    if (entry.sent !== undefined) {
      const sent = recognised(entry.sent, fingerprintText(deal, salt));
      if (sent) entry.sent = sent;
      else {
        delete entry.sent;
        whole = false;
      }
    }
    if (entry.known) {
      const rekeyed = rekeyKnown(entry.known, (part, stored) => {
        for (const key of keys) {
          if (knownOf(deal, part, key) === stored) return knownOf(deal, part, current);
        }
        return "?";
      });
      whole &&= KNOWN_PARTS.every((part) => rekeyed[part] !== "?" || entry.known![part] === "?");
      entry.known = rekeyed;
    }
    if (entry.request !== undefined) {
      const older = keys.filter((k) => k !== current);
      if (sameRequest({ deal }, settings, entry.request, older)) {
        entry.request = requestHash({ deal }, settings);
      } else {
        entry.request = RELEASED_REQUEST;
        whole = false;
      }
    }
    delete entry.raw; // the plan stores the current one with the deal
    if (whole) counts.rekeyed++;
    else counts.scrubbed++;
  }

  for (const [orderNumber, entry] of state) {
    if (seen.has(orderNumber)) continue;
    if (idContact(orderNumber)) {
      state.delete(orderNumber);
      counts.removed++;
      continue;
    }
    scrub(entry);
    counts.scrubbed++;
  }
  return counts;
}

function rekeyKnown(known: Known, rekey: (part: KnownPart, stored: string) => string): Known {
  const next = { ...known };
  for (const part of KNOWN_PARTS) if (known[part] !== "?") next[part] = rekey(part, known[part]);
  return next;
}

/** Drops every hash of an entry, keeping what it says in the clear (outcome, existence, time). */
function scrub(entry: DealState): void {
  entry.fingerprint = "";
  entry.matching = "";
  delete entry.raw;
  delete entry.sent;
  if (entry.request !== undefined) entry.request = RELEASED_REQUEST;
  if (entry.known) entry.known = rekeyKnown(entry.known, () => "?");
}
