#!/usr/bin/env python3
"""Independent computation of `academy exam analyze`'s statistics with numpy, for the tests.

Input (JSON on the command line's file): {"attempts": [{"person": ..., "items": [{"slot", "questionID",
"score", "points"}]}]}. Output (JSON): per question facility, point-biserial against the rest of
the paper, upper/lower 27% index; KR-20 or Cronbach's alpha over paper positions; histogram.

    python3 scripts/item-analysis-check.py attempts.json
"""
import json
import sys

import numpy as np


def main(path):
    data = json.load(open(path))
    attempts = data["attempts"]
    n = len(attempts)
    totals = np.array([sum(i["score"] for i in a["items"]) for a in attempts])
    maxima = np.array([sum(i["points"] for i in a["items"]) for a in attempts])
    order = sorted(range(n), key=lambda i: (-totals[i], attempts[i]["person"]))
    g = max(1, int(np.floor(n * 0.27 + 0.5))) if n else 0
    upper = set(order[:g])
    lower = set(order[-g:]) - upper
    items = {}
    for ai, a in enumerate(attempts):
        for it in a["items"]:
            x = it["score"] / it["points"] if it["points"] > 0 else 0.0
            d = items.setdefault(it["questionID"], {"x": [], "rest": [], "u": [], "l": []})
            d["x"].append(x)
            d["rest"].append(totals[ai] - it["score"])
            if ai in upper:
                d["u"].append(x)
            if ai in lower:
                d["l"].append(x)
    out = {}
    for q, d in items.items():
        x, rest = np.array(d["x"]), np.array(d["rest"])
        r = None
        if len(x) >= 2 and x.std() > 0 and rest.std() > 0:
            r = float(np.corrcoef(x, rest)[0, 1])
        di = None
        if d["u"] and d["l"]:
            di = float(np.mean(d["u"]) - np.mean(d["l"]))
        out[q] = {"n": len(x), "facility": float(x.mean()), "pointBiserial": r, "discriminationIndex": di}
    k = max(len(a["items"]) for a in attempts)
    rows = [sorted(a["items"], key=lambda i: i["slot"]) for a in attempts if len(a["items"]) == k]
    dich = all(i["score"] in (0, i["points"]) for r in rows for i in r)
    m = np.array([[(1.0 if (i["score"] == i["points"] and i["points"] > 0) else 0.0) if dich else i["score"] for i in r] for r in rows])
    tv = m.sum(axis=1).var()
    alpha = float(k / (k - 1) * (1 - m.var(axis=0).sum() / tv)) if tv > 0 else None
    pct = totals / maxima * 100
    hist = np.histogram(np.minimum(np.floor(pct / 10), 9), bins=np.arange(11))[0].tolist()
    json.dump({"items": out, "reliability": alpha, "method": "KR-20" if dich else "Cronbach's alpha", "histogram": hist,
               "meanPercent": float(pct.mean())}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
