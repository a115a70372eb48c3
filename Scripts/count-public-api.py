#!/usr/bin/env python3
"""Counts the public API of the library modules: declarations that carry `public` or `open`.

Usage: python3 Scripts/count-public-api.py [--by-kind] [--max N] [MODULE ...]

A declaration counts once when its own modifiers include `public` or `open` (`package` and
`internal` do not count), and also when it sits directly inside a `public extension` without
an access modifier of its own, since Swift makes it public there. `public import` is not a
declaration. Comments and string literals are skipped, so a doc comment or a multi-line
string that starts a line with "public" is not counted. Enum cases of a public enum are
public without a modifier; they are not counted (the figure follows the source text). The
scan reads the first declaration of each line, which is how the sources are written.

Prints one line per module and a total; with --by-kind, also the split by kind. With --max N,
exits 1 when the total is above N (CI keeps the API budget this way), naming both figures.
"""
import os
import re
import sys

MODULES = ["OpenMPConformance", "OpenMPConformanceTesting", "OMPPlan", "OMPProbeCore"]
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

KIND_OF = {
    "struct": "types", "class": "types", "enum": "types", "protocol": "types", "actor": "types",
    "typealias": "types", "associatedtype": "types",
    "func": "functions", "init": "initializers", "subscript": "subscripts",
    "var": "properties", "let": "properties", "case": "cases",
    "extension": "extensions", "import": "imports",
}
MODIFIERS = {
    "public", "open", "package", "internal", "private", "fileprivate", "static", "class", "final",
    "mutating", "nonmutating", "override", "required", "convenience", "nonisolated", "isolated",
    "lazy", "weak", "unowned", "dynamic", "indirect", "consuming", "borrowing", "async",
    "distributed", "optional", "prefix", "postfix", "infix",
}
ACCESS = {"public", "open", "package", "internal", "private", "fileprivate"}


def strip_comments_and_strings(text):
    """Replaces comments and string literal contents with spaces, keeping line breaks.

    String interpolations (`\\(...)`) are scanned as code, so a string nested inside one does
    not end the outer literal early.
    """
    out = []
    n = len(text)

    def blank(a, b):
        out.append("".join("\n" if ch == "\n" else " " for ch in text[a:b]))

    def code(i, stop_at_paren):
        """Scans code from i; returns the index after the closing paren when stop_at_paren."""
        parens = 0
        while i < n:
            c = text[i]
            if text.startswith("//", i):
                j = text.find("\n", i)
                j = n if j < 0 else j
                blank(i, j)
                i = j
            elif text.startswith("/*", i):
                depth, j = 1, i + 2
                while j < n and depth:
                    if text.startswith("*/", j):
                        depth, j = depth - 1, j + 2
                    elif text.startswith("/*", j):
                        depth, j = depth + 1, j + 2
                    else:
                        j += 1
                blank(i, j)
                i = j
            elif c == '"' or (c == "#" and re.match(r'#+"', text[i:i + 8])):
                i = string(i)
            else:
                if stop_at_paren:
                    if c == "(":
                        parens += 1
                    elif c == ")":
                        if parens == 0:
                            out.append(c)
                            return i + 1
                        parens -= 1
                out.append(c)
                i += 1
        return i

    def string(i):
        m = re.match(r'(#*)("""|")', text[i:i + 12])
        hashes, quote = m.group(1), m.group(2)
        close = quote + hashes
        interp = "\\" + hashes + "("
        escape = "\\" + hashes
        j = i + len(m.group(0))
        blank(i, j)
        while j < n:
            if text.startswith(interp, j):
                blank(j, j + len(interp))
                j = code(j + len(interp), True)
            elif text.startswith(escape, j):
                blank(j, min(n, j + len(escape) + 1))
                j += len(escape) + 1
            elif text.startswith(close, j):
                blank(j, j + len(close))
                return j + len(close)
            else:
                blank(j, j + 1)
                j += 1
        return j

    code(0, False)
    return "".join(out)


def declarations(text):
    """Yields (kind, is_public) for each declaration that starts a statement."""
    code = strip_comments_and_strings(text)
    # Track braces so members of a `public extension` inherit its access.
    public_ext_depths = []
    depth = 0
    for line in code.split("\n"):
        stripped = line.strip()
        words = re.findall(r"@\w+(?:\([^)]*\))?|\w+(?:\([^)]*\))?", stripped)
        mods, keyword = [], None
        for index, w in enumerate(words):
            if w.startswith("@"):
                continue
            base = w.split("(")[0]
            if base in MODIFIERS and base != "class":
                mods.append(base)
                continue
            if base == "class":
                # `class` is a modifier only before another declaration keyword (`class func`).
                rest = [x.split("(")[0] for x in words[index + 1:] if not x.startswith("@")]
                if rest and (rest[0] in KIND_OF or rest[0] in MODIFIERS) and rest[0] != "class":
                    mods.append(base)
                    continue
            if base in KIND_OF:
                keyword = base
            break
        if keyword:
            access = next((m for m in mods if m in ACCESS), None)
            in_public_ext = bool(public_ext_depths) and public_ext_depths[-1] == depth - 1
            is_public = access in ("public", "open") or (access is None and in_public_ext)
            if keyword == "extension" and access in ("public", "open") and "{" in stripped:
                public_ext_depths.append(depth)
            if keyword not in ("extension", "import"):
                yield KIND_OF[keyword], is_public
        for ch in line:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                while public_ext_depths and public_ext_depths[-1] >= depth:
                    public_ext_depths.pop()


def count(module):
    kinds = {}
    base = os.path.join(ROOT, "Sources", module)
    for dirpath, _, files in os.walk(base):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                for kind, is_public in declarations(f.read()):
                    if is_public:
                        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def main(argv):
    by_kind = "--by-kind" in argv
    limit = None
    if "--max" in argv:
        i = argv.index("--max")
        if i + 1 >= len(argv) or not argv[i + 1].isdigit():
            print("count-public-api: --max needs a number", file=sys.stderr)
            return 2
        limit = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    modules = [a for a in argv if not a.startswith("--")] or MODULES
    total = 0
    for module in modules:
        if not os.path.isdir(os.path.join(ROOT, "Sources", module)):
            print(f"count-public-api: no module Sources/{module}", file=sys.stderr)
            return 2
        kinds = count(module)
        n = sum(kinds.values())
        total += n
        detail = ""
        if by_kind:
            detail = "  (" + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])) + ")"
        print(f"{module:<26} {n:>5}{detail}")
    print(f"{'total':<26} {total:>5}")
    if limit is not None and total > limit:
        print(f"count-public-api: {total} public declarations, above the budget of {limit}: make the new ones "
              "package, or raise the budget in .ci/run with a reason", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
