#!/usr/bin/env python3
"""One line from a `halluscope-cli detect --json` summary on stdin: speed with and without loading, memory."""
import json
import sys

j = json.load(sys.stdin)
b, n = j["time_breakdown_s"], j["processed"]
steady = 60 * n / max(1e-9, j["seconds"] - b["load"])
print(f"{n} samples, {j['samples_per_minute']:.0f}/min with load, {steady:.0f}/min steady; "
      f"peak {j.get('peak_allocated_mb', 0) / 1024:.2f} GiB allocated, {j['peak_memory_mb'] / 1024:.2f} GiB reserved; {b}")
