"""Self time by crate from `perf report --no-children --sort symbol --stdio -g none` on stdin.

    perf report -i perf.data --no-children --sort symbol --stdio -g none | python3 perf_crates.py

Groups symbols by their first path segment (`serde_saphyr::…` → serde_saphyr); the C
allocator's functions and the mem* copies get a line each. Standard library only.
"""

import collections
import re
import sys

ALLOC = re.compile(r"^(_int_|malloc|cfree|free|realloc|calloc|unlink_chunk|__libc_malloc|__libc_free|alloc_perturb|tcache)")


def main() -> None:
    total = collections.Counter()
    for line in sys.stdin:
        m = re.match(r"\s+([0-9.]+)%\s+\[(.)\]\s+(.*?)\s{2,}", line)
        if not m:
            continue
        share, kind, symbol = float(m.group(1)), m.group(2), m.group(3).lstrip("<")
        if kind == "k":
            key = "[kernel]"
        elif ALLOC.match(symbol):
            key = "[malloc/free]"
        elif re.match(r"__(mem|str)\w+", symbol):
            key = "[memmove/memcmp/…]"
        elif symbol.startswith("0x") or symbol[:1].isdigit():
            key = "[unknown]"
        else:
            key = re.split(r"::| as ", symbol)[0].lstrip("<&")
        total[key] += share
    for key, share in total.most_common(int(sys.argv[1]) if len(sys.argv) > 1 else 15):
        print(f"   {share:6.2f}%  {key}")


if __name__ == "__main__":
    main()
