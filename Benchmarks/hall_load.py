#!/usr/bin/env python3
"""Many officers sitting the exam at once over SSH, in line mode (asyncssh).

Each simulated officer logs in (password = exam code from codes.csv, or a key), answers every
question of the paper, and submits. A dropped connection (the server killed and restarted) is
retried until the attempt is submitted. Every acknowledgement ("已保存 saved n/M") is recorded, so
the caller can count acknowledged answers against the stored ones.

Usage: hall_load.py --port P --codes codes.csv [--officers N] [--out results.json] [--think S]
       [--key KEY --user USER --env-badge]   (the sshd ForceCommand comparison)
--think S waits a random 0..2S seconds before each answer (an officer reading the question), so
the server sees a steady rate instead of every officer answering back to back.
Prints one JSON object (also written to --out): logins, login latencies, ack latencies, acked
answers per badge, submitted badges, errors.
"""
import argparse
import asyncio
import csv
import json
import random
import re
import statistics
import sys
import time

import asyncssh

PROMPT = re.compile(r"\[\d+:\d\d(?::\d\d)?\] > $")
BLOCK = re.compile(r"\[Q (\d+)/(\d+)\]")
SAVED = re.compile(r"已保存 saved (\d+)/(\d+)")
BLANKS = re.compile(r"共 (\d+) 空|(\d+) blank")


def answer_for(block):
    if "T 对 / F 错" in block or "T true / F false" in block:
        return "T"
    m = BLANKS.search(block)
    if m:
        n = int(m.group(1) or m.group(2))
        return "= " + " | ".join(["甲"] * n)
    return "A"


class Officer:
    def __init__(self, args, badge, code, stats):
        self.args, self.badge, self.code, self.stats = args, badge, code, stats
        self.acked = set()
        self.submitted = False
        self.connects = 0

    async def run(self):
        deadline = time.monotonic() + self.args.timeout
        backoff = 0.2
        failures = 0
        while not self.submitted and time.monotonic() < deadline and failures < 60:
            try:
                await self.session()
                backoff = 0.2
            except (OSError, asyncssh.Error, asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError) as e:
                self.stats["errors"].append(f"{self.badge}: {type(e).__name__}: {e}")
                failures += 1
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
        return self.submitted

    async def session(self):
        opts = dict(host="127.0.0.1", port=self.args.port, known_hosts=None, connect_timeout=30)
        if self.args.key:
            opts.update(username=self.args.user, client_keys=[self.args.key], password=None)
        else:
            opts.update(username=self.badge, password=self.code, client_keys=None, preferred_auth="password")
        t0 = time.monotonic()
        async with asyncssh.connect(**opts) as conn:
            self.stats["login_ms"].append((time.monotonic() - t0) * 1000)
            self.stats["login_done"].append(time.monotonic())
            self.connects += 1
            env = {"LANG": "zh_CN.UTF-8"}
            if self.args.env_badge:
                env["LC_ACADEMY_OFFICER"] = self.badge
            proc = await conn.create_process(term_type=None, env=env, encoding="utf-8")
            buf = ""

            async def until(pattern, timeout=60):
                nonlocal buf
                end = time.monotonic() + timeout
                while True:
                    m = pattern.search(buf)
                    if m:
                        return m
                    left = end - time.monotonic()
                    if left <= 0:
                        raise asyncio.TimeoutError(f"waiting for {pattern.pattern}")
                    chunk = await asyncio.wait_for(proc.stdout.read(65536), left)
                    if not chunk:
                        raise ConnectionError("session closed")
                    buf += chunk

            async def prompt():
                nonlocal buf
                await until(PROMPT)
                text, buf = buf, ""
                return text

            text = await prompt()
            total = None
            current = None
            while True:
                if "成绩 score" in text:
                    self.submitted = True
                    return
                for m in BLOCK.finditer(text):
                    current, total = int(m.group(1)), int(m.group(2))
                if current is None:
                    proc.stdin.write("r\n")
                    text = await prompt()
                    continue
                if current not in self.acked:
                    block = text[text.rfind("[Q "):]
                    if self.args.think > 0:
                        await asyncio.sleep(random.uniform(0, 2 * self.args.think))
                    t1 = time.monotonic()
                    proc.stdin.write(answer_for(block) + "\n")
                    await until(SAVED)
                    self.stats["ack_ms"].append((time.monotonic() - t1) * 1000)
                    self.stats["ack_at"].append(t1)
                    self.acked.add(current)
                    text = await prompt()
                    continue
                missing = [q for q in range(1, total + 1) if q not in self.acked]
                if missing:
                    proc.stdin.write(f"g {missing[0]}\n")
                    text = await prompt()
                    continue
                proc.stdin.write("s\n")
                await prompt()
                proc.stdin.write("yes\n")
                await until(re.compile("成绩 score"))
                self.submitted = True
                return


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--codes", required=True, help="codes.csv from academy hall codes issue")
    p.add_argument("--officers", type=int, default=0, help="how many (0 = all in the file)")
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--out")
    p.add_argument("--key")
    p.add_argument("--user", default="root")
    p.add_argument("--env-badge", action="store_true")
    p.add_argument("--concurrency", type=int, default=1000)
    p.add_argument("--think", type=float, default=0)
    args = p.parse_args()
    with open(args.codes, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if args.officers:
        rows = rows[: args.officers]
    stats = {"login_ms": [], "ack_ms": [], "ack_at": [], "errors": [], "login_done": []}
    officers = [Officer(args, r["执法证号"], r["考试码"], stats) for r in rows]
    sem = asyncio.Semaphore(args.concurrency)

    async def one(o):
        async with sem:
            return await o.run()

    t0 = time.monotonic()
    stats["start"] = t0
    await asyncio.gather(*(one(o) for o in officers))
    wall = time.monotonic() - t0

    def pct(v, q):
        if not v:
            return None
        v = sorted(v)
        return round(v[min(len(v) - 1, int(q * len(v)))], 2)

    last_login = max(stats["login_done"], default=0)
    after_logins = [ms for ms, at in zip(stats["ack_ms"], stats["ack_at"]) if at > last_login]
    result = {
        "officers": len(officers),
        "submitted": sum(o.submitted for o in officers),
        "wall_seconds": round(wall, 2),
        "logins": len(stats["login_ms"]),
        "login_ms_p50": pct(stats["login_ms"], 0.50),
        "login_ms_p99": pct(stats["login_ms"], 0.99),
        # Logins completed per second while the crowd arrived (all started at once).
        "logins_per_second": round(len(officers) / max(1e-9, sorted(stats["login_done"])[len(officers) - 1] - t0), 1)
        if len(stats["login_done"]) >= len(officers) else None,
        "acks": len(stats["ack_ms"]),
        "ack_ms_p50": pct(stats["ack_ms"], 0.50),
        "ack_ms_p99": pct(stats["ack_ms"], 0.99),
        "ack_ms_mean": round(statistics.mean(stats["ack_ms"]), 2) if stats["ack_ms"] else None,
        # The same, only for answers sent once every officer had logged in (no login rush beside them).
        "ack_ms_p50_after_logins": pct(after_logins, 0.50),
        "ack_ms_p99_after_logins": pct(after_logins, 0.99),
        "reconnects": sum(max(0, o.connects - 1) for o in officers),
        "acked": {o.badge: len(o.acked) for o in officers},
        "errors": stats["errors"][:20],
        "error_count": len(stats["errors"]),
    }
    text = json.dumps(result, ensure_ascii=False)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    print(text)
    return 0 if result["submitted"] == len(officers) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
