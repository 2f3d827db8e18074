import assert from "node:assert/strict";
import { sipHash, sipHashText, sipHashWords, sipKey } from "../../src/util/siphash.ts";

/**
 * The reference vectors of SipHash-2-4 with a 64-bit output (veorq/SipHash, `vectors.h`,
 * `vectors_sip64`; the paper's Appendix A for length 15): key = bytes 00..0f, message i = bytes
 * 00..(i-1); each output as the reference writes it, little-endian.
 */
const VECTORS = [
  "310e0edd47db6f72",
  "fd67dc93c539f874",
  "5a4fa9d909806c0d",
  "2d7efbd796666785",
  "b7877127e09427cf",
  "8da699cd64557618",
  "cee3fe586e46c9cb",
  "37d1018bf50002ab",
  "6224939a79f5f593",
  "b0e4a90bdf82009e",
  "f3b9dd94c5bb5d7a",
  "a7ad6b22462fb3f4",
  "fbe50e86bc8f1e75",
  "903d84c02756ea14",
  "eef27a8e90ca23f7",
  "e545be4961ca29a1",
  "db9bc2577fcc2a3f",
  "9447be2cf5e99a69",
  "9cd38d96f0b3c14b",
  "bd6179a71dc96dbb",
  "98eea21af25cd6be",
  "c7673b2eb0cbf2d0",
  "883ea3e395675393",
  "c8ce5ccd8c030ca8",
  "94af49f6c650adb8",
  "eab8858ade92e1bc",
  "f315bb5bb835d817",
  "adcf6b0763612e2f",
  "a5c91da7acaa4dde",
  "716595876650a2a6",
  "28ef495c53a387ad",
  "42c341d8fa92d832",
  "ce7cf2722f512771",
  "e37859f94623f3a7",
  "381205bb1ab0e012",
  "ae97a10fd434e015",
  "b4a31508beff4d31",
  "81396229f0907902",
  "4d0cf49ee5d4dcca",
  "5c73336a76d8bf9a",
  "d0a704536ba93e0e",
  "925958fcd6420cad",
  "a915c29bc8067318",
  "952b79f3bc0aa6d4",
  "f21df2e41d4535f9",
  "87577519048f53a9",
  "10a56cf5dfcd9adb",
  "eb75095ccd986cd0",
  "51a9cb9ecba312e6",
  "96afadfc2ce666c7",
  "72fe52975a4364ee",
  "5a1645b276d592a1",
  "b274cb8ebf87870a",
  "6f9bb4203de7b381",
  "eaecb2a30b22a87f",
  "9924a43cc1315724",
  "bd838d3aafbf8db7",
  "0b1a2a3265d51aea",
  "135079a3231ce660",
  "932b2846e4d70666",
  "e1915f5cb1eca46c",
  "f325965ca16d629f",
  "575ff28e60381be5",
  "724506eb4c328a95",
];

const REFERENCE_KEY = sipKey(Uint8Array.from({ length: 16 }, (_, i) => i));

/** The little-endian bytes of an output, in hex, as the reference prints it. */
function leHex({ hi, lo }: { hi: number; lo: number }): string {
  const bytes = [];
  for (const word of [lo, hi]) for (let i = 0; i < 4; i++) bytes.push((word >>> (8 * i)) & 0xff);
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The 53 bits the text and word variants return, from a full output. */
const top53 = ({ hi, lo }: { hi: number; lo: number }) => (hi & 0x1fffff) * 2 ** 32 + lo;

function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    bytes[2 * i] = text.charCodeAt(i) & 0xff;
    bytes[2 * i + 1] = text.charCodeAt(i) >>> 8;
  }
  return bytes;
}

Deno.test("sipHash() gives the 64 reference vectors of SipHash-2-4", () => {
  assert.equal(VECTORS.length, 64);
  for (let n = 0; n < 64; n++) {
    const message = Uint8Array.from({ length: n }, (_, i) => i);
    assert.equal(leHex(sipHash(REFERENCE_KEY, message)), VECTORS[n], `message of ${n} bytes`);
  }
});

Deno.test("sipHashText() is SipHash-2-4 of the string's UTF-16LE bytes, cut to 53 bits", () => {
  const key = sipKey(Uint8Array.from({ length: 16 }, (_, i) => 255 - 7 * i));
  const texts = [
    "",
    "a",
    "ab",
    "abc",
    "abcd",
    "abcde",
    "Ёлка 🎄",
    "7915\u001f7771122",
    "x".repeat(61),
  ];
  for (const text of texts) {
    assert.equal(sipHashText(key, text), top53(sipHash(key, utf16le(text))), JSON.stringify(text));
    assert.ok(Number.isSafeInteger(sipHashText(key, text)));
  }
  // Reference vectors whose messages are whole UTF-16 units: 00 01 → "\u0100", and so on.
  for (const n of [0, 2, 8, 14, 16, 62]) {
    const text = String.fromCharCode(
      ...Array.from({ length: n / 2 }, (_, i) => (2 * i) | ((2 * i + 1) << 8)),
    );
    const [hi, lo] = [VECTORS[n].slice(8), VECTORS[n].slice(0, 8)].map((half) =>
      Number.parseInt(half.match(/../g)!.reverse().join(""), 16)
    );
    assert.equal(sipHashText(REFERENCE_KEY, text), top53({ hi, lo }), `vector ${n}`);
  }
});

Deno.test("sipHashWords() is SipHash-2-4 of the four words' 16 little-endian bytes", () => {
  const message = Uint8Array.from({ length: 16 }, (_, i) => i);
  const view = new DataView(message.buffer);
  const words = [0, 4, 8, 12].map((at) => view.getUint32(at, true));
  assert.equal(
    sipHashWords(REFERENCE_KEY, words[0], words[1], words[2], words[3]),
    top53(sipHash(REFERENCE_KEY, message)),
  );
  assert.equal(leHex(sipHash(REFERENCE_KEY, message)), VECTORS[16]);
});

Deno.test("sipHashText() depends on every bit of the key", () => {
  const bytes = new Uint8Array(16);
  const base = sipHashText(sipKey(bytes), "79157771122");
  for (let bit = 0; bit < 128; bit++) {
    const flipped = bytes.slice();
    flipped[bit >> 3] ^= 1 << (bit & 7);
    assert.notEqual(sipHashText(sipKey(flipped), "79157771122"), base, `bit ${bit}`);
  }
});

Deno.test("sipKey() takes 16 bytes only", () => {
  assert.throws(() => sipKey(new Uint8Array(15)), {
    name: "RangeError",
    message: "sipKey(): a SipHash key has 16 bytes",
  });
});
