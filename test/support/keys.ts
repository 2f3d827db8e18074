/** Keys for tests of what is hashed under the deployment's key (see `src/util/keyring.ts`). */
import { type SipKey, sipKey } from "../../src/util/siphash.ts";

/** A fixed SipHash key: the hashes tests pin are computed under it. */
export const TEST_KEY: SipKey = sipKey(
  Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff),
);

/** Another key: what a rotation or a wrong guess hashes under. */
export const OTHER_KEY: SipKey = sipKey(
  Uint8Array.from({ length: 16 }, (_, i) => (i * 53 + 7) & 0xff),
);

/** A `STATE_KEY` setting (long enough for its schema). */
export const TEST_STATE_KEY = "test-state-key-0123456789abcdef-0123456789abcdef";
