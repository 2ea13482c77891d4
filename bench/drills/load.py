#!/usr/bin/env python3
"""Webhook load for the drills. Unlike wrk it records, for every request, whether the client got
a 200: only those deliveries are acknowledged, and only they must be answered exactly once.

Posts the pre-signed deliveries of PAYLOADS ("<signature>\\t<body>" a line, each a distinct user
and mid) at RATE requests/s, delivery i to target i % len(targets), over keep-alive connections.
Each attempt is one log line:
    <start unix s> <end unix s> <delivery index> <user id> <target> <attempt> <status> conn=N/AGE/IDLE
where status is the HTTP status or "err:<exception>" (refused, reset, timeout...) and N, AGE and
IDLE are the request's number on its keep-alive connection, the connection's age and how long it
had been idle (seconds).

With --resend a delivery that did not get a 200 is posted again later, to the next target, as
Meta does (after 1 s, then 2 s, 4 s, at most 8 s apart); resends share the request rate. New
deliveries stop when STOP_FILE exists; resends go on until every delivery got a 200 or
--resend-deadline seconds after the stop.

Usage: load.py --payloads F --targets NAME=HOST:PORT[,...] --log F --stop-file F
               [--rate 200] [--threads 16] [--timeout 10] [--resend] [--resend-deadline 30]
"""
import argparse
import heapq
import http.client
import os
import queue
import re
import sys
import threading
import time

PATH = "/api/database/bench/chat-agents/shop/instagram/webhook"
# A connection idle this long is not reused: the host closes idle keep-alive connections after
# server.keep_alive_timeout_ms (5 s), and a request racing that close fails for a reason that has
# nothing to do with the drill.
IDLE_REUSE_S = 3.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--payloads", required=True)
    ap.add_argument("--targets", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--stop-file", required=True)
    ap.add_argument("--rate", type=float, default=200)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--resend", action="store_true")
    ap.add_argument("--resend-deadline", type=float, default=30)
    args = ap.parse_args()

    targets = []
    for item in args.targets.split(","):
        name, addr = item.split("=", 1)
        host, port = addr.rsplit(":", 1)
        targets.append((name, host, int(port)))

    payloads = []
    with open(args.payloads) as f:
        for line in f:
            sig, body = line.rstrip("\n").split("\t", 1)
            user = re.search(r'"sender":\{"id":"(\d+)"', body).group(1)
            payloads.append((sig, body.encode(), user))

    log = open(args.log, "a", buffering=1)
    log_lock = threading.Lock()
    jobs = queue.Queue(maxsize=args.threads * 4)
    retries = []  # heap of (due, index, attempt)
    state = {"inflight": 0, "acked": set(), "attempts": 0}
    lock = threading.Lock()

    def worker():
        conns = {}  # target -> [connection, opened at, requests sent, last answer at]
        while True:
            index, attempt = jobs.get()
            name, host, port = targets[(index + attempt - 1) % len(targets)]
            sig, body, user = payloads[index]
            start = time.time()
            c = conns.get(name)
            if c is not None and start - c[3] > IDLE_REUSE_S:
                c[0].close()  # the host may be closing it right now (keep-alive timeout)
                c = None
            if c is None:
                c = conns[name] = [http.client.HTTPConnection(host, port, timeout=args.timeout), start, 0, start]
            conn, opened, sent, last = c
            c[2] += 1
            try:
                conn.request("POST", PATH, body=body, headers={
                    "Content-Type": "application/json", "X-Hub-Signature-256": sig})
                resp = conn.getresponse()
                resp.read()
                status = str(resp.status)
                if resp.will_close:
                    conns.pop(name, None)
            except Exception as e:  # noqa: BLE001 - every failure is just "not acknowledged"
                status = "err:" + type(e).__name__
                conns.pop(name, None)
                try:
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass
            end = time.time()
            c[3] = end
            with log_lock:
                # The connection's request number, age and idle time before this request tell a
                # keep-alive connection the host closed from one that died with the host.
                log.write("%.3f %.3f %d %s %s %d %s conn=%d/%.1f/%.1f\n" % (
                    start, end, index, user, name, attempt, status, sent + 1, start - opened, start - last))
            with lock:
                state["inflight"] -= 1
                if status == "200":
                    state["acked"].add(index)
                elif args.resend:
                    delay = min(8.0, 2.0 ** (attempt - 1))
                    heapq.heappush(retries, (end + delay, index, attempt + 1))

    for _ in range(args.threads):
        threading.Thread(target=worker, daemon=True).start()

    interval = 1.0 / args.rate
    next_new = 0
    stopped_at = None
    tick = time.time()
    while True:
        now = time.time()
        if stopped_at is None and os.path.exists(args.stop_file):
            stopped_at = now
        job = None
        with lock:
            if retries and retries[0][0] <= now:
                _, index, attempt = heapq.heappop(retries)
                job = (index, attempt)
            elif stopped_at is None and next_new < len(payloads):
                job = (next_new, 1)
                next_new += 1
            done = stopped_at is not None and state["inflight"] == 0 and not retries
            if job:
                state["inflight"] += 1
                state["attempts"] += 1
        if done or (stopped_at is not None and now - stopped_at > args.resend_deadline):
            break
        if job:
            jobs.put(job)
        tick += interval
        delay = tick - time.time()
        if delay > 0:
            time.sleep(delay)
        elif delay < -1:
            tick = time.time()  # fell behind (every worker busy): do not burst to catch up

    # Requests still in flight at the deadline get their timeout to finish and be logged.
    until = time.time() + args.timeout + 1
    while time.time() < until:
        with lock:
            if state["inflight"] == 0:
                break
        time.sleep(0.05)
    with lock:
        print("deliveries %d, attempts %d, acknowledged %d, resends pending %d" % (
            next_new, state["attempts"], len(state["acked"]), len(retries)))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
