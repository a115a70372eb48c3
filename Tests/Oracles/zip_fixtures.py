"""Writes the zip archives the zip reader's tests read, with Python's zipfile (an independent writer).

Usage: python3 zip_fixtures.py OUTDIR

Every archive holds the same three members, written by zipfile: lib/libdata.so (deflated, 300 kB of
mixed random and repetitive bytes), README (stored) and empty.txt (deflated, empty). Then some copies
are damaged on purpose, each in one way, by patching the bytes zipfile wrote:

  good.zip               as written
  corrupt-stream.zip     lib/libdata.so's deflate stream starts with a reserved block type
  crc-mismatch.zip       lib/libdata.so's CRC-32 differs by one bit (central directory and local header)
  truncated-stream.zip   lib/libdata.so's compressed size is half the real one (the stream is cut off)
  longer.zip             lib/libdata.so's uncompressed size is one byte short (the stream goes on)
  shorter.zip            lib/libdata.so's uncompressed size is one byte more (the stream ends early)
  truncated-archive.zip  the first half of good.zip (the central directory is gone)
  encrypted.zip          lib/libdata.so's flags say it is encrypted
  zip64.zip              written with Zip64 everywhere: Zip64 extra fields in the central directory
                         and a Zip64 end-of-central-directory record with its locator
  zip64-masked.zip       zip64.zip with the classic end record's counts and offset set to all ones,
                         as in an archive of more than 65,535 members or 4 GiB
  zip64-no-locator.zip   zip64-masked.zip with the Zip64 locator's signature destroyed
  zip64-bad-record.zip   zip64-masked.zip with the Zip64 end record's signature destroyed

Each archive that zipfile should still read is read back with zipfile's real limits and checked
(testzip). stdout: one JSON object {"members": {name: {"size", "crc", "sha256"}}, "archives": [names]}.
"""
import hashlib
import importlib
import json
import os
import random
import struct
import sys
import zipfile

out = sys.argv[1]
rng = random.Random(15)
data = bytes(rng.getrandbits(8) for _ in range(100_000)) + b"OpenMP runtime " * 10_000 + bytes(50_000)
members = {"lib/libdata.so": (data, zipfile.ZIP_DEFLATED), "README": (b"a stored member\n", zipfile.ZIP_STORED),
           "empty.txt": (b"", zipfile.ZIP_DEFLATED)}


def write(path, zip64=False):
    with zipfile.ZipFile(path, "w") as z:
        for name, (body, method) in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 0, 0, 0))
            info.compress_type = method
            with z.open(info, "w", force_zip64=zip64) as f:
                f.write(body)


def entries(blob):
    """(name, central directory offset, local header offset) of each entry."""
    found = []
    p = blob.rfind(b"PK\x05\x06")
    count, cd = struct.unpack_from("<H", blob, p + 10)[0], struct.unpack_from("<I", blob, p + 16)[0]
    z = blob.rfind(b"PK\x06\x06")
    if z >= 0:
        count, cd = struct.unpack_from("<QQ", blob, z + 32)[0], struct.unpack_from("<Q", blob, z + 48)[0]
    for _ in range(count):
        assert blob[cd:cd + 4] == b"PK\x01\x02"
        n, e, c = struct.unpack_from("<HHH", blob, cd + 28)
        name = blob[cd + 46:cd + 46 + n].decode()
        local = struct.unpack_from("<I", blob, cd + 42)[0]
        found.append((name, cd, local))
        cd += 46 + n + e + c
    return found


def patch(blob, name, field, value, fmt="<I"):
    """Sets a field (offset in the central directory entry; the local header's is 4 less) of `name`."""
    b = bytearray(blob)
    for n, cd, local in entries(blob):
        if n == name:
            struct.pack_into(fmt, b, cd + field, value)
            struct.pack_into(fmt, b, local + field - 4, value)
    return bytes(b)


def field(blob, name, off):
    return next(struct.unpack_from("<I", blob, cd + off)[0] for n, cd, _ in entries(blob) if n == name)


def data_offset(blob, name):
    local = next(l for n, _, l in entries(blob) if n == name)
    n, e = struct.unpack_from("<HH", blob, local + 26)
    return local + 30 + n + e


good_path = os.path.join(out, "good.zip")
write(good_path)
good = open(good_path, "rb").read()
lib = "lib/libdata.so"
archives = {"good.zip": good}
corrupt = bytearray(good)
corrupt[data_offset(good, lib)] = 0xFF  # BFINAL 1, BTYPE 3: reserved
archives["corrupt-stream.zip"] = bytes(corrupt)
archives["crc-mismatch.zip"] = patch(good, lib, 16, field(good, lib, 16) ^ 1)
archives["truncated-stream.zip"] = patch(good, lib, 20, field(good, lib, 20) // 2)
archives["longer.zip"] = patch(good, lib, 24, len(data) - 1)
archives["shorter.zip"] = patch(good, lib, 24, len(data) + 1)
archives["truncated-archive.zip"] = good[:len(good) // 2]
archives["encrypted.zip"] = patch(good, lib, 8, 1, "<H")  # general-purpose flag bit 0

# Zip64 everywhere: zipfile adds Zip64 fields only where a value passes its limits, so the limits
# are lowered to zero while writing (the archive stays valid; zipfile reads it back below).
zipfile.ZIP64_LIMIT = 0
zipfile.ZIP_FILECOUNT_LIMIT = 0
z64_path = os.path.join(out, "zip64.zip")
write(z64_path, zip64=True)
importlib.reload(zipfile)
z64 = open(z64_path, "rb").read()
assert b"PK\x06\x06" in z64 and b"PK\x06\x07" in z64, "no Zip64 end record"
assert field(z64, lib, 20) == 0xFFFFFFFF, "no Zip64 sizes in the central directory"
archives["zip64.zip"] = z64
masked = bytearray(z64)
e = z64.rfind(b"PK\x05\x06")
struct.pack_into("<HHIIH", masked, e + 8, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
archives["zip64-masked.zip"] = bytes(masked)
no_locator = bytearray(masked)
no_locator[e - 20:e - 16] = b"XXXX"
archives["zip64-no-locator.zip"] = bytes(no_locator)
bad_record = bytearray(masked)
r = z64.rfind(b"PK\x06\x06")
bad_record[r:r + 4] = b"XXXX"
archives["zip64-bad-record.zip"] = bytes(bad_record)

for name, blob in archives.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(blob)
for name in ["good.zip", "zip64.zip", "zip64-masked.zip"]:
    with zipfile.ZipFile(os.path.join(out, name)) as z:
        assert z.testzip() is None, name
        assert {i.filename: z.read(i) for i in z.infolist()} == {k: v[0] for k, v in members.items()}, name

print(json.dumps({
    "members": {k: {"size": len(v[0]), "crc": zipfile.crc32(v[0]), "sha256": hashlib.sha256(v[0]).hexdigest()}
                for k, v in members.items()},
    "archives": sorted(archives),
}))
