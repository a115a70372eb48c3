#!/usr/bin/env python3
"""Counts the public API of the library modules from the compiler's symbol graph.

Usage: python3 Scripts/count-public-api.py [--by-kind] [--list] [--max N] [--graphs DIR] [MODULE ...]

Runs `swift package dump-symbol-graph --minimum-access-level public` (or reads the graphs already
in --graphs DIR) and counts, per module, every symbol whose access level is public or open: types,
members, enum cases, initializers, extensions' members (the `Module@Other.symbols.json` graphs
too). Members the compiler synthesizes (`::SYNTHESIZED::` in the symbol's identifier: protocol
default implementations inherited by a type, `Equatable`'s `!=`, ...) are not counted: they are not
written in the sources. `package` and `internal` symbols are not in the graph at that level.

Prints one line per module and a total; with --by-kind, also the split by kind; with --list,
every symbol counted. With --max N, exits 1 when the total is above N (CI keeps the API budget
this way), naming both figures.
"""
import glob
import json
import os
import re
import subprocess
import sys

MODULES = ["OpenMPConformance", "OpenMPConformanceTesting", "OMPPlan"]
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def dump_graphs():
    """Runs dump-symbol-graph; returns the folder it wrote (printed on its last line)."""
    p = subprocess.run(["swift", "package", "dump-symbol-graph", "--minimum-access-level", "public"],
                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout)
        raise SystemExit(f"count-public-api: swift package dump-symbol-graph exited {p.returncode}")
    m = re.search(r"Files written to (\S+)", p.stdout)
    if m:
        return m.group(1)
    found = glob.glob(os.path.join(ROOT, ".build", "*", "symbolgraph"))
    if not found:
        sys.stderr.write(p.stdout)
        raise SystemExit("count-public-api: cannot tell where dump-symbol-graph wrote the graphs")
    return max(found, key=os.path.getmtime)


def symbols(graphs, module):
    """(kind, path) of each counted symbol of `module`, from its graph and its extension graphs."""
    files = sorted(glob.glob(os.path.join(graphs, f"{module}.symbols.json"))
                   + glob.glob(os.path.join(graphs, f"{module}@*.symbols.json")))
    if not files:
        raise SystemExit(f"count-public-api: no symbol graph for {module} in {graphs}")
    seen = {}
    for f in files:
        with open(f, encoding="utf-8") as fh:
            graph = json.load(fh)
        for s in graph.get("symbols", []):
            precise = s["identifier"]["precise"]
            if "::SYNTHESIZED::" in precise or s.get("accessLevel") not in ("public", "open"):
                continue
            kind = s["kind"]["identifier"].removeprefix("swift.")
            if kind == "extension":
                continue  # an extension block is not a declaration of its own; its members are counted
            seen[precise] = (kind, ".".join(s.get("pathComponents", [])))
    return sorted(seen.values(), key=lambda ks: ks[1])


def main(argv):
    by_kind = "--by-kind" in argv
    listing = "--list" in argv
    limit = None
    graphs = None
    args = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--max", "--graphs"):
            if i + 1 >= len(argv) or (a == "--max" and not argv[i + 1].isdigit()):
                print(f"count-public-api: {a} needs a {'number' if a == '--max' else 'folder'}", file=sys.stderr)
                return 2
            if a == "--max":
                limit = int(argv[i + 1])
            else:
                graphs = argv[i + 1]
            i += 2
            continue
        if not a.startswith("--"):
            args.append(a)
        i += 1
    modules = args or MODULES
    graphs = graphs or dump_graphs()
    total = 0
    for module in modules:
        found = symbols(graphs, module)
        total += len(found)
        detail = ""
        if by_kind:
            kinds = {}
            for kind, _ in found:
                kinds[kind] = kinds.get(kind, 0) + 1
            detail = "  (" + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))) + ")"
        print(f"{module:<26} {len(found):>5}{detail}")
        if listing:
            for kind, path in found:
                print(f"    {kind:<16} {path}")
    print(f"{'total':<26} {total:>5}")
    if limit is not None and total > limit:
        print(f"count-public-api: {total} public symbols, above the budget of {limit}: make the new ones "
              "package, or raise the budget in .ci/run with a reason", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
