#!/usr/bin/env python3
"""Small mutation runner for a throwaway clone of the project: one mutant at a time, restored with git checkout.

usage: python3 mutate.py [--list] [--only FILE] [--max N] [--seed S] [--out results.jsonl]
                        [--budget SECS] [--timeout-min SECS] [--timeout-max SECS]
"""
import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import time

# Run inside a throwaway clone of the project: MUT_ROOT=<clone> python3 scripts/mutate.py
ROOT = os.environ.get("MUT_ROOT") or os.getcwd()

# Source file -> the test files that exercise it (found by grepping test/ for imports of the
# module, plus the e2e test that drives it through the Worker where the unit tests are thin).
# Kept small: one mutant should run in about 30 s on a 2-core machine.
E2E_SYNC = "test/e2e/sync_test.ts"          # workerd: first sync, edits, statuses, no contacts in KV/logs
E2E_LOOK_UP = "test/e2e/look_up_test.ts"    # workerd + journal: a lost state with/without the journal
E2E_LANDED = "test/e2e/landed_test.ts"      # workerd + journal: in-doubt deals the journal shows landed
E2E_RECONCILE = "test/e2e/reconcile_test.ts"
E2E_PANEL = "test/e2e/panel_test.ts"        # control panel: verdict colours, cell links
E2E_HTTP = "test/e2e/http_test.ts"          # dry run with exact payloads, status page
E2E_ANALYTICS = "test/e2e/analytics_test.ts"  # status dates, tags, custom fields, zones
E2E_FAILURES = "test/e2e/failures_test.ts"  # 502-then-wiped KV, rows sorted mid-run, budgets
E2E_DOUBT = "test/e2e/doubt_test.ts"        # in doubt is not unchanged
E2E_STATE_KEY = "test/e2e/state_key_test.ts"  # STATE_KEY rotation over real KV
# The map for main after issue 20/21's moves (columns/, settings/, sync/deals_journal/).
TESTS = {
    "src/calltouch/results.ts": ["test/calltouch/results_test.ts", "test/calltouch/client_test.ts",
                                 "test/sync/send_test.ts"],
    "src/sync/plan.ts": ["test/sync/plan_test.ts", "test/sync/held_test.ts", "test/sync/send_test.ts",
                         "test/sync/quiet_run_test.ts", E2E_SYNC, E2E_LANDED],
    "src/columns/fingerprint.ts": ["test/columns/fingerprint_test.ts", "test/sync/plan_test.ts",
                                   "test/sync/quiet_run_test.ts", "test/sync/held_test.ts",
                                   E2E_SYNC, E2E_ANALYTICS],
    "src/columns/payload.ts": ["test/columns/payload_test.ts", "test/calltouch/client_test.ts",
                               "test/sync/send_test.ts", "test/sync/outcomes_test.ts",
                               E2E_HTTP, E2E_SYNC, E2E_ANALYTICS],
    "src/sync/write_back.ts": ["test/sync/write_back_test.ts", "test/sync/run_test.ts",
                               "test/sync/quiet_run_test.ts", "test/sync/held_test.ts", E2E_SYNC,
                               E2E_FAILURES],
    "src/sync/status_text.ts": ["test/sync/status_text_test.ts", "test/sync/run_test.ts",
                                "test/sync/quiet_run_test.ts", E2E_SYNC],
    "src/sync/quiet.ts": ["test/sync/quiet_test.ts", "test/sync/quiet_run_test.ts", E2E_SYNC],
    "src/sync/send.ts": ["test/sync/send_test.ts", "test/sync/held_test.ts", "test/sync/run_test.ts",
                         E2E_SYNC, E2E_FAILURES],
    "src/sync/outcomes.ts": ["test/sync/outcomes_test.ts", "test/sync/send_test.ts",
                             "test/sync/held_test.ts", E2E_SYNC, E2E_DOUBT],
    # run_test.ts type-checks the journal modules (the e2e tests bundle the Worker without
    # type-checking, so without it a mutant that breaks the types would run, and "survive", untyped).
    "src/sync/deals_journal/before_send.ts": ["test/sync/run_test.ts", E2E_LOOK_UP, E2E_LANDED,
                                              E2E_RECONCILE],
    "src/sync/deals_journal/after_send.ts": ["test/sync/deals_journal/after_send_test.ts",
                                             "test/sync/lease_test.ts", "test/sync/run_test.ts",
                                             E2E_RECONCILE],
    "src/sync/deals_journal/compare.ts": ["test/sync/deals_journal/compare_test.ts",
                                          "test/sync/run_test.ts", E2E_LANDED, E2E_RECONCILE],
    "src/calltouch/journal.ts": ["test/calltouch/journal_test.ts", "test/cli/verify_test.ts",
                                 E2E_LOOK_UP, E2E_RECONCILE],
    "src/sync/state.ts": ["test/sync/state_test.ts", "test/sync/plan_test.ts",
                          "test/sync/quiet_test.ts", "test/sync/quiet_run_test.ts",
                          "test/sync/send_test.ts", E2E_SYNC],
    "src/sync/rekey.ts": ["test/sync/rekey_test.ts", "test/cli/state_key_test.ts", E2E_STATE_KEY],
    "src/settings/targets.ts": ["test/settings/targets_test.ts", "test/cli/targets_test.ts",
                                "test/fan_out_test.ts"],
    "src/http/verdict.ts": ["test/http/status_page_test.tsx", E2E_PANEL, E2E_HTTP],
    "src/sheet/mask.ts": ["test/sheet/mask_test.ts", "test/sheet/phones_test.ts",
                          "test/sheet/emails_test.ts", "test/sheet/messages_test.ts",
                          "test/calltouch/results_test.ts", E2E_SYNC],
    # The quotas (issue 23): the daily points refusal and the project's rest.
    "src/calltouch/points.ts": ["test/calltouch/points_test.ts", "test/sync/rest_test.ts"],
    "src/sync/rest.ts": ["test/sync/rest_test.ts", "test/sync/run_test.ts"],
    # The first sync's hot path sped up in issue 21 (the row reader, hashes, dates by codes).
    "src/columns/parse.ts": ["test/columns/parse_test.ts", "test/columns/known_rows_test.ts",
                             "test/columns/custom_test.ts", "test/columns/status_column_test.ts"],
    "src/util/siphash.ts": ["test/util/siphash_test.ts", "test/util/hash_test.ts",
                            "test/columns/fingerprint_test.ts"],
    "src/util/hash.ts": ["test/util/hash_test.ts", "test/columns/fingerprint_test.ts",
                         "test/columns/known_rows_test.ts"],
    "src/util/digits.ts": ["test/util/digits_test.ts", "test/columns/payload_test.ts"],
    "src/calltouch/dates.ts": ["test/columns/payload_test.ts", "test/util/digits_test.ts"],
    # The deployment's rate gate (Calltouch's 5 a second, Google's reads per minute).
    "src/util/rate_gate.ts": ["test/util/rate_gate_test.ts", "test/calltouch/limiter_test.ts",
                              "test/calltouch/client_test.ts", "test/fan_out_test.ts"],
}

ENV = dict(os.environ, WRANGLER_SEND_METRICS="false", CLOUDFLARE_CF_FETCH_ENABLED="false",
           WRANGLER_HIDE_BANNER="true", NO_COLOR="1")

REGEX_PREV = set("(,=:[!&|?{};+-*%<>~^")
REGEX_WORDS = {"return", "typeof", "case", "in", "of", "void", "delete", "throw"}


# ---------------------------------------------------------------- lexing
def lex(src):
    """Returns (mask, strings, templates): mask[i] True when src[i] is code (not comment,
    string, template text or regex); strings/templates are (start, end) spans (end exclusive)."""
    n = len(src)
    mask = [False] * n
    strings, templates = [], []
    i = 0
    stack = []  # per open `${`: brace depth inside it
    tmpl_start = []  # start offsets of templates being scanned (outermost first)
    last_sig = ""
    last_word = ""

    def scan_template(i):
        # i is just after a backtick or a closing `}` of `${`; scans template text.
        while i < n:
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if c == "`":
                start = tmpl_start.pop()
                if not tmpl_start:
                    templates.append((start, i + 1))
                return i + 1, False
            if c == "$" and i + 1 < n and src[i + 1] == "{":
                stack.append(0)
                return i + 2, True
            i += 1
        return i, False

    while i < n:
        c = src[i]
        nxt = src[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "/" and nxt == "*":
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            if not tmpl_start:
                strings.append((i, j + 1))
            i = j + 1
            last_sig = "a"
            last_word = ""
            continue
        if c == "`":
            tmpl_start.append(i)
            i, in_code = scan_template(i + 1)
            last_sig = "a"
            continue
        if c == "/" and (last_sig == "" or last_sig in REGEX_PREV or last_word in REGEX_WORDS):
            j = i + 1
            in_class = False
            while j < n:
                d = src[j]
                if d == "\\":
                    j += 2
                    continue
                if d == "[":
                    in_class = True
                elif d == "]":
                    in_class = False
                elif d == "/" and not in_class:
                    break
                elif d == "\n":
                    break
                j += 1
            j += 1
            while j < n and src[j].isalpha():
                j += 1
            i = j
            last_sig = "a"
            last_word = ""
            continue
        if stack:
            if c == "{":
                stack[-1] += 1
            elif c == "}":
                if stack[-1] == 0:
                    stack.pop()
                    i, _ = scan_template(i + 1)
                    last_sig = "a"
                    continue
                stack[-1] -= 1
        mask[i] = True
        if not c.isspace():
            if c.isalnum() or c in "_$":
                m = re.match(r"[\w$]+", src[i:])
                last_word = m.group(0)
                for k in range(i, i + len(last_word)):
                    mask[k] = True
                i += len(last_word)
                last_sig = "a"
                continue
            last_sig = c
            last_word = ""
        i += 1
    return mask, strings, templates


def line_starts(src):
    starts = [0]
    for m in re.finditer("\n", src):
        starts.append(m.end())
    return starts


def line_of(starts, off):
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= off:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


def excluded_lines(src, mask):
    """1-based lines that are imports or type-only declarations (interface / type alias)."""
    lines = src.split("\n")
    starts = line_starts(src)
    out = set()
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if s.startswith("import ") or s.startswith("import{"):
            j = i
            while j < len(lines) and not re.search(r"from\s+\"[^\"]+\";\s*$|^import\s+\"", lines[j].strip()):
                j += 1
            out.update(range(i + 1, j + 2))
            i = j + 1
            continue
        mt = re.match(r"^(export\s+)?(declare\s+)?(interface|type)\s", s)
        if mt:
            is_alias = mt.group(3) == "type"
            depth = 0
            j = i
            while j < len(lines):
                base = starts[j]
                for k, ch in enumerate(lines[j]):
                    if mask[base + k]:
                        if ch in "{([":
                            depth += 1
                        elif ch in "})]":
                            depth -= 1
                t = lines[j].strip()
                if depth <= 0 and (t.endswith(";") if is_alias else t.endswith("}")):
                    break
                j += 1
            out.update(range(i + 1, j + 2))
            i = j + 1
            continue
        i += 1
    return out


# ---------------------------------------------------------------- mutants
def all_code(mask, a, b):
    return all(mask[a:b])


def match_paren(src, mask, open_at):
    depth = 0
    for k in range(open_at, len(src)):
        if not mask[k]:
            continue
        if src[k] == "(":
            depth += 1
        elif src[k] == ")":
            depth -= 1
            if depth == 0:
                return k
    return -1


COMPARE = {"===": ["!=="], "!==": ["==="], "<": ["<=", ">="], "<=": ["<", ">"],
           ">": [">=", "<="], ">=": [">", "<"]}


def bump(lit):
    t = lit.replace("_", "")
    if t.lower().startswith("0x"):
        return "0x%x" % (int(t, 16) + 1)
    if "e" in t.lower():
        mant, exp = re.split("[eE]", t)
        return "%se%s" % (int(float(mant)) + 1 if "." not in mant else float(mant) + 1, exp)
    if "." in t:
        return repr(float(t) + 1)
    return str(int(t) + 1)


STMT_START = re.compile(
    r"^(return\b|continue\b|break\b|if \(|else (?!\{)|for \(|"
    r"[\w$.#]+(\[[^\]]*\])*\s*(=|\+=|-=|\*=|\?\?=|\|\|=)\s|[\w$.#\[\]]+(\+\+|--)|"
    r"\(?[\w$.#\[\]]+(\s*\?\?=\s*\[\])?\)?\.(push|set|add|delete|clear|sort)\()")


def statement_deletions(src, mask, excl, starts):
    out = []
    lines = src.split("\n")
    for idx, line in enumerate(lines):
        ln = idx + 1
        if ln in excl:
            continue
        s = line.strip()
        indent = len(line) - len(line.lstrip())
        if indent < 2 or not s:
            continue
        base = starts[idx] + indent
        if not mask[base]:
            continue
        if re.match(r"^(const|let|var|export|import|function|case|default|\}|\))\b", s) or s.startswith("}"):
            continue
        if not STMT_START.match(s):
            continue
        # previous code char must end a statement / open a block
        k = base - 1
        while k >= 0 and (src[k].isspace() or not mask[k]):
            k -= 1
        if k >= 0 and src[k] not in ";{}":
            continue
        if s.startswith("else ") and not (k >= 0 and src[k] == ";"):
            continue
        # control statements: only a one-line body, never a block
        head = re.match(r"^(if|for|while) \(", s)
        if head or s.startswith("else "):
            if head:
                close = match_paren(src, mask, base + head.end() - 1)
                if close < 0:
                    continue
                q = close + 1
            else:
                q = base + 4
            while q < len(src) and (src[q].isspace() or not mask[q]):
                q += 1
            if q >= len(src) or src[q] == "{":
                continue
        # find the statement end: first `;` at depth 0 (code only)
        depth = 0
        end = -1
        for p in range(base, len(src)):
            if not mask[p]:
                continue
            ch = src[p]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
                if depth < 0:
                    break
            elif ch == ";" and depth == 0:
                end = p
                break
        if end < 0:
            continue
        # rest of that line must be whitespace/comment
        eol = src.find("\n", end)
        eol = len(src) if eol < 0 else eol
        if any(mask[q] and not src[q].isspace() for q in range(end + 1, eol)):
            continue
        # a following `else` would dangle if we delete an if-statement
        rest = src[eol:].lstrip()
        if s.startswith("if (") and rest.startswith("else"):
            continue
        span_text = src[starts[idx]:eol]
        blank = "\n" * span_text.count("\n")
        out.append({"kind": "delete-stmt", "start": starts[idx], "end": eol, "new": blank,
                    "line": ln, "orig": s[:90]})
    return out


def generate(path):
    src = open(os.path.join(ROOT, path), encoding="utf-8").read()
    mask, strings, templates = lex(src)
    starts = line_starts(src)
    excl = excluded_lines(src, mask)
    cands = []

    def add(kind, a, b, new, orig=None):
        ln = line_of(starts, a)
        if ln in excl:
            return
        cands.append({"kind": kind, "start": a, "end": b, "new": new, "line": ln,
                      "orig": orig if orig is not None else src[a:b]})

    for m in re.finditer(r"(?<=\s)(===|!==|<=|>=|<|>)(?=\s)", src):
        if all_code(mask, m.start(), m.end()):
            for rep in COMPARE[m.group(1)]:
                add("compare", m.start(), m.end(), rep)
    for m in re.finditer(r"(?<=\s)(&&|\|\|)(?=\s)", src):
        if all_code(mask, m.start(), m.end()):
            add("logical", m.start(), m.end(), "||" if m.group(1) == "&&" else "&&")
    for m in re.finditer(r"\b(true|false)\b", src):
        if all_code(mask, m.start(), m.end()):
            add("bool", m.start(), m.end(), "false" if m.group(1) == "true" else "true")
    for m in re.finditer(r"(?<![\w$.])(0[xX][0-9a-fA-F]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w$])",
                         src):
        if all_code(mask, m.start(), m.end()):
            add("number", m.start(), m.end(), bump(m.group(1)))
    for m in re.finditer(r"\b(if|while) \(", src):
        if not all_code(mask, m.start(), m.end()):
            continue
        open_at = m.end() - 1
        close = match_paren(src, mask, open_at)
        if close < 0:
            continue
        cond = src[open_at + 1:close]
        add("negate-if", open_at, close + 1, "(!(" + cond + "))",
            orig="%s (%s)" % (m.group(1), " ".join(cond.split())[:80]))
    for a, b in strings + templates:
        lit = src[a:b]
        if len(lit) <= 3:
            continue
        ln = line_of(starts, a)
        line = src[starts[ln - 1]:src.find("\n", a)]
        # keys/messages only: skip regex-ish, module paths, Intl options, throw messages in guards
        if "import" in line or "from " in line:
            continue
        add("string", a, b, '""')
    # fingerprints: drop one field from the hashed text (a field whose edits would go unsent)
    for m in re.finditer(r"\+ FIELD \+\s*(\(deal\.\w+ \?\? \"\"\)|deal\.\w+(\.join\(ITEM\))?)", src):
        if all_code(mask, m.start(), m.start() + 1):
            add("drop-term", m.start(), m.end(), "", orig=" ".join(m.group(0).split()))
    for d in statement_deletions(src, mask, excl, starts):
        cands.append(d)
    cands.sort(key=lambda c: (c["start"], c["kind"]))
    return src, cands


def sample(cands, k, seed):
    rnd = random.Random(seed)
    if len(cands) <= k:
        return list(cands)
    strings = [c for c in cands if c["kind"] == "string"]
    others = [c for c in cands if c["kind"] != "string"]
    n_str = min(2, len(strings))
    chosen = rnd.sample(strings, n_str) if n_str else []
    k_rest = k - n_str
    if len(others) <= k_rest:
        # Fewer candidates than slots: take them all (chunks would be empty and repeat the last).
        chosen += others
        chosen.sort(key=lambda c: c["start"])
        return chosen
    counts = {}
    chunk = len(others) / k_rest
    for i in range(k_rest):
        part = others[int(i * chunk):int((i + 1) * chunk)] or others[-1:]
        rnd.shuffle(part)
        part.sort(key=lambda c: counts.get(c["kind"], 0))
        pick = part[0]
        counts[pick["kind"]] = counts.get(pick["kind"], 0) + 1
        chosen.append(pick)
    chosen.sort(key=lambda c: c["start"])
    return chosen


# ---------------------------------------------------------------- running
def run_tests(tests, timeout):
    cmd = ["nice", "-n", "10", "deno", "test", "--allow-all", "--fail-fast"] + tests
    t0 = time.time()
    p = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        rc = None
    return rc, out.decode("utf-8", "replace"), time.time() - t0


def classify(rc, out):
    if rc is None:
        return "timeout"
    if rc == 0:
        return "survived"
    if ("Type checking failed" in out or "could not be parsed" in out
            or re.search(r"\bTS\d{4}\b", out) and "error: " in out and " passed" not in out
            # a mutant that does not parse (e.g. `>` of a generic type turned into `>=`)
            or re.search(r"^error: SyntaxError: ", out, re.M) and " passed" not in out):
        return "compile-error"
    return "killed"


def failing(out):
    names = re.findall(r"^(.+?) => (test/\S+)", out, re.M)
    if names:
        return "; ".join("%s (%s)" % (n.strip(), f) for n, f in names[:3])
    m = re.search(r"^error: .*$", out, re.M)
    return m.group(0)[:200] if m else out[-300:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--only", action="append")
    ap.add_argument("--max", type=int, default=25)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=os.path.join(ROOT, "results.jsonl"))
    ap.add_argument("--budget", type=float, default=3300, help="seconds for the whole run")
    ap.add_argument("--timeout-min", type=float, default=30, help="per-mutant timeout floor (s)")
    ap.add_argument("--timeout-max", type=float, default=90, help="per-mutant timeout cap (s)")
    args = ap.parse_args()
    files = args.only or list(TESTS)
    t_start = time.time()
    for path in files:
        src, cands = generate(path)
        chosen = sample(cands, args.max, args.seed)
        if args.list:
            kinds = {}
            for c in cands:
                kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
            print("== %s: %d candidates %s, %d chosen" % (path, len(cands), kinds, len(chosen)))
            for c in chosen:
                print("  L%-4d %-11s %s -> %s" % (c["line"], c["kind"], c["orig"][:70],
                                                  c["new"][:40].replace("\n", "\\n")))
            continue
        tests = TESTS[path]
        rc, out, base = run_tests(tests, 300)
        if rc != 0:
            print("BASELINE FAILS for", path, out[-2000:], flush=True)
            continue
        timeout = min(args.timeout_max, max(args.timeout_min, 3 * base + 15))
        print("== %s baseline %.1fs timeout %.0fs, %d/%d mutants" % (path, base, timeout,
                                                                    len(chosen), len(cands)), flush=True)
        full = os.path.join(ROOT, path)
        for n, c in enumerate(chosen):
            if time.time() - t_start > args.budget:
                print("budget spent", flush=True)
                return
            mutated = src[:c["start"]] + c["new"] + src[c["end"]:]
            with open(full, "w", encoding="utf-8") as f:
                f.write(mutated)
            try:
                rc, out, dur = run_tests(tests, timeout)
            finally:
                subprocess.run(["git", "checkout", "--", path], cwd=ROOT, check=True)
            status = classify(rc, out)
            rec = {"file": path, "line": c["line"], "kind": c["kind"], "orig": c["orig"],
                   "new": c["new"] if c["kind"] != "delete-stmt" else "<deleted>",
                   "status": status, "secs": round(dur, 1),
                   "detail": failing(out) if status in ("killed", "compile-error") else ""}
            with open(args.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            print("  [%2d] L%-4d %-11s %-13s %5.1fs  %s -> %s" % (
                n + 1, c["line"], c["kind"], status, dur, c["orig"][:60], rec["new"][:30]), flush=True)
        with open(full, encoding="utf-8") as f:
            assert f.read() == src, "file not restored: " + path


if __name__ == "__main__":
    main()
