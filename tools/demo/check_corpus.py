#!/usr/bin/env python3
"""Checks a RAGTruth-format folder made by make_corpus.py and prints its statistics.

  python3 tools/demo/check_corpus.py resources/demo/data
Exits non-zero on a broken label offset, an unknown source_id, or a planted value found in the prompt.
"""
import collections
import json
import os
import re
import statistics
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def main(folder):
    sources = {s["source_id"]: s for s in load(os.path.join(folder, "source_info.jsonl"))}
    resps = load(os.path.join(folder, "response.jsonl"))
    errors = 0
    per_task = collections.Counter()
    per_task_h = collections.Counter()
    types = collections.Counter()
    nspans = collections.Counter()
    pw, rw = [], []
    by_source = collections.defaultdict(list)
    for r in resps:
        s = sources.get(r["source_id"])
        if s is None:
            print("unknown source", r["id"]); errors += 1; continue
        by_source[r["source_id"]].append(bool(r["labels"]))
        per_task[s["task_type"]] += 1
        per_task_h[s["task_type"]] += bool(r["labels"])
        nspans[len(r["labels"])] += 1
        rw.append(len(r["response"].split()))
        if not r["response"].startswith(" "):
            print("response does not start with a space", r["id"]); errors += 1
        for lab in r["labels"]:
            types[lab["label_type"]] += 1
            if r["response"][lab["start"]:lab["end"]] != lab["text"]:
                print("bad offsets", r["id"], lab); errors += 1
            for wd in re.findall(r"[A-Za-z]+|[0-9]+", lab["text"]):
                if re.search(r"(?<![A-Za-z0-9])" + re.escape(wd) + r"(?![A-Za-z0-9])", s["prompt"]):
                    print("planted word occurs in the prompt", r["id"], wd); errors += 1
    for s in sources.values():
        pw.append(len(s["prompt"].split()))
    n = len(resps)
    nh = sum(1 for r in resps if r["labels"])
    paired = sum(1 for v in by_source.values() if True in v and False in v)
    q = lambda xs: f"min {min(xs)} median {statistics.median(xs)} max {max(xs)}"
    print(f"{folder}: {len(sources)} sources, {n} responses, {nh} hallucinated ({100 * nh / n:.1f} %)")
    print("  per task (responses / hallucinated):",
          ", ".join(f"{t} {per_task[t]}/{per_task_h[t]}" for t in sorted(per_task)))
    print(f"  sources with both a faithful and a hallucinated response: {paired}")
    print("  spans per response:", dict(sorted(nspans.items())), " label types:", dict(types))
    print(f"  prompt words: {q(pw)};  response words: {q(rw)}")
    print(f"  distinct response texts: {len(set(r['response'] for r in resps))}")
    print("OK" if errors == 0 else f"{errors} ERRORS")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "resources/demo/data"))
