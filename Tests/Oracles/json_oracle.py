"""Parses a batch of documents with Python's json module, as a strict RFC 8259 reader.

Usage: python3 json_oracle.py < batch

The batch on stdin is one JSON array of base64 strings (the documents' raw bytes). The answer on
stdout is one JSON array, in the same order, of {"accept": bool, "canon": str or null, "why": str}.

Python's json is made as strict as the kit's reader on purpose, each rule stated here:
- the bytes must be UTF-8 (one leading UTF-8 byte-order mark is skipped, as the kit documents);
- NaN, Infinity and -Infinity are refused (json accepts them by default; RFC 8259 does not);
- a string or key holding a lone surrogate (from a \\u escape) is refused (json keeps it);
- two equal keys in one object are refused (object_pairs_hook). Keys are compared as Swift compares
  String values, by canonical equivalence (NFC), because that is what a Swift JSONDecoder would
  collapse into one key.

"canon" spells the value so that both sides can compare it exactly: n, t, f; d<16 hex digits of the
IEEE double> (integers converted to the nearest double, zero without sign); s<hex of UTF-8>;
[a,b,...]; {key=value,...} with members in file order.
"""
import base64
import json
import struct
import sys
import unicodedata

sys.setrecursionlimit(20000)  # canon() below recurses once per nesting level; the kit allows 512
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)


class Refused(Exception):
    pass


def pairs_hook(pairs):
    seen = set()
    for key, _ in pairs:
        k = unicodedata.normalize("NFC", key)
        if k in seen:
            raise Refused(f"duplicate key {key!r}")
        seen.add(k)
    return ("object", pairs)


def constant(name):
    raise Refused(f"non-standard constant {name}")


def has_surrogate(s):
    return any(0xD800 <= ord(c) <= 0xDFFF for c in s)


def number(x):
    try:
        d = float(x)
    except OverflowError:
        d = float("inf") if x > 0 else float("-inf")
    if d == 0:
        d = 0.0
    return "d" + struct.pack(">d", d).hex()


def string(s):
    if has_surrogate(s):
        raise Refused("lone surrogate")
    return "s" + s.encode("utf-8").hex()


def canon(v):
    if v is None:
        return "n"
    if v is True:
        return "t"
    if v is False:
        return "f"
    if isinstance(v, (int, float)):
        return number(v)
    if isinstance(v, str):
        return string(v)
    if isinstance(v, list):
        return "[" + ",".join(canon(x) for x in v) + "]"
    if isinstance(v, tuple) and v[0] == "object":
        return "{" + ",".join(string(k) + "=" + canon(x) for k, x in v[1]) + "}"
    raise TypeError(type(v))


def judge(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return {"accept": False, "canon": None, "why": f"not UTF-8: {e.reason}"}
    try:
        value = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=constant)
        return {"accept": True, "canon": canon(value), "why": ""}
    except (Refused, ValueError, RecursionError) as e:
        return {"accept": False, "canon": None, "why": f"{type(e).__name__}: {e}"}


def main():
    batch = json.load(sys.stdin)
    json.dump([judge(base64.b64decode(d)) for d in batch], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
