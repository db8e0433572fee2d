"""Turns a directory of scrape files into VictoriaMetrics import parts.

Each sample line gets its scrape's time (Unix ms, from the file name) appended, and lines are grouped
into parts of about 32 MB, so that a timed import is limited by VictoriaMetrics rather than by one
HTTP round trip per scrape file.

    python3 tools/peers/vm_parts.py SCRAPES_DIR OUT_DIR
"""
import os
import re
import sys

PART_BYTES = 32 << 20


def main(directory, out):
    os.makedirs(out, exist_ok=True)
    part, pending, size = 0, [], 0

    def flush():
        nonlocal part, pending, size
        with open(os.path.join(out, f"part-{part:05d}.txt"), "wb") as f:
            f.write(b"".join(pending))
        part, pending, size = part + 1, [], 0

    for root, _, files in os.walk(directory):
        for name in sorted(files):
            ms = re.search(r"(\d{13})", name).group(1).encode()
            with open(os.path.join(root, name), "rb") as f:
                for line in f:
                    if line.startswith(b"#") or not line.strip():
                        continue
                    pending.append(line.rstrip(b"\n") + b" " + ms + b"\n")
                    size += len(line) + 14
            if size > PART_BYTES:
                flush()
    if pending:
        flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
