#!/usr/bin/env python3
"""Judges a drill run: every acknowledged webhook (the client got a 200) must have been answered
by exactly one send to its user.

Reads the load log (load.py), the Graph stand-in's send log (graph_standin.py) and the drill's
event log ("<unix s> <kind> <host> [detail]" a line; kind "kill" marks a kill -9 of that host).
A duplicate is expected only when its first send was answered just before its host was killed:
the host cannot have recorded Meta's answer yet, so it sends again after the restart ("in the
window"). Any other duplicate, and any acknowledged webhook without a send, is a bug: those are
printed with their timestamps.

Usage: analyze.py --load F --sends F --events F [--window-ms 50] [--db-summary F]
Exit status 1 when something was lost or duplicated outside the window.
"""
import argparse
import bisect
import collections
import sys


def fmt(t):
    return "%.3f" % t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--load", required=True)
    ap.add_argument("--sends", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--window-ms", type=float, default=50)
    ap.add_argument("--details", type=int, default=20, help="cases printed in full, per kind")
    args = ap.parse_args()
    window = args.window_ms / 1000.0
    KILL_LANDS_WITHIN = 0.010

    attempts = collections.defaultdict(list)  # delivery index -> [(start, end, target, attempt, status)]
    user_of = {}
    statuses = collections.Counter()
    with open(args.load) as f:
        for line in f:
            start, end, index, user, target, attempt, status = line.split()[:7]
            index = int(index)
            attempts[index].append((float(start), float(end), target, int(attempt), status))
            user_of[index] = user
            statuses[status] += 1
    index_of = {u: i for i, u in user_of.items()}
    acked = {i for i, a in attempts.items() if any(x[4] == "200" for x in a)}
    acked_first = {i for i in acked if next(x for x in attempts[i] if x[4] == "200")[3] == 1}

    sends = collections.defaultdict(list)  # recipient -> [(time, sender host, message id)]
    total_sends = 0
    with open(args.sends) as f:
        for line in f:
            t, host, recipient, mid = line.split()
            sends[recipient].append((float(t), host, mid))
            total_sends += 1
    for s in sends.values():
        s.sort()

    kills = collections.defaultdict(list)  # host -> sorted kill times
    events = []
    try:
        with open(args.events) as f:
            for line in f:
                parts = line.split()
                events.append((float(parts[0]), parts[1], parts[2] if len(parts) > 2 else ""))
                if parts[1] == "kill":
                    kills[parts[2]].append(float(parts[0]))
    except FileNotFoundError:
        pass
    for k in kills.values():
        k.sort()

    def kill_after(host, t):
        k = kills.get(host, [])
        i = bisect.bisect_left(k, t)
        return k[i] if i < len(k) else None

    def kill_before(host, t):
        k = kills.get(host, [])
        i = bisect.bisect_left(k, t)
        return k[i - 1] if i > 0 else None

    lost = sorted(i for i in acked if user_of[i] not in sends)
    unknown = sorted(r for r in sends if r not in index_of)
    in_window, outside = [], []
    for recipient, s in sends.items():
        for first, second in zip(s, s[1:]):
            # The kill is logged before SIGKILL lands, and the stand-in logs a send when it
            # answers: a send logged just after the kill was still made by the dying process.
            k = kill_after(first[1], first[0] - KILL_LANDS_WITHIN)
            case = (recipient, first, second, k)
            (in_window if k is not None and k - first[0] <= window else outside).append(case)
    dup_recipients = sorted(r for r, s in sends.items() if len(s) > 1)
    never_acked = sorted(set(attempts) - acked)
    answered_unacked = [i for i in never_acked if user_of[i] in sends]

    http_other = sum(n for s, n in statuses.items() if s not in ("200", "503") and not s.startswith("err:"))
    errors = {s: n for s, n in statuses.items() if s.startswith("err:")}
    print("webhook attempts:      %d (200: %d, 503: %d, other HTTP: %d, no answer: %d %s)" % (
        sum(statuses.values()), statuses["200"], statuses["503"], http_other,
        sum(errors.values()), dict(sorted(errors.items())) if errors else ""))
    print("deliveries posted:     %d" % len(attempts))
    print("acknowledged:          %d (at the first attempt: %d, after a resend: %d)" % (
        len(acked), len(acked_first), len(acked) - len(acked_first)))
    print("never acknowledged:    %d (answered anyway: %d)" % (len(never_acked), len(answered_unacked)))
    print("sends:                 %d to %d recipients (recipients not in the load: %d)" % (
        total_sends, len(sends), len(unknown)))
    print("LOST:                  %d (acknowledged, no send)" % len(lost))
    print("DUPLICATED:            %d recipients, %d extra sends" % (
        len(dup_recipients), len(in_window) + len(outside)))
    print("  in the window:       %d (first send answered <= %.0f ms before a kill of its host, or as it landed)" % (
        len(in_window), args.window_ms))
    print("  OUTSIDE the window:  %d" % len(outside))

    # Service outages: "down X" (the stop begins), "stopped X" (it is gone), "up X" (it answers
    # again). What the webhooks got from the stop to the restart, and after it.
    for down in (e for e in events if e[1] == "down"):
        later = [e for e in events if e[2] == down[2] and e[0] >= down[0]]
        stopped = next((e[0] for e in later if e[1] == "stopped"), None)
        up = next((e[0] for e in later if e[1] == "up"), None)
        until = up if up is not None else float("inf")
        during = collections.Counter(x[4] for a in attempts.values() for x in a if down[0] <= x[0] < until)
        print("%s outage:       stop %s, gone %s, up %s (%.1f s from the stop): webhook attempts %d, "
              "200: %d, 503: %d, other: %s" % (
                  down[2], fmt(down[0]), fmt(stopped) if stopped else "-", fmt(up) if up else "-",
                  (until - down[0]) if up else -1, sum(during.values()), during["200"], during["503"],
                  {k: n for k, n in during.items() if k not in ("200", "503")}))
        if up is not None:
            after = sorted(x for a in attempts.values() for x in a if x[0] >= up and x[4] != "200")
            print("  after it came back:  %d not acknowledged%s" % (
                len(after), ", the last started %.2f s after (%s)" % (after[-1][0] - up, after[-1][4])
                if after else ""))

    def show_attempts(index):
        for start, end, target, attempt, status in attempts.get(index, []):
            print("      webhook attempt %d to %s: %s .. %s -> %s" % (attempt, target, fmt(start), fmt(end), status))

    def nearby_events(t0, t1):
        return [e for e in events if t0 - 2 <= e[0] <= t1 + 2]

    for case in in_window[: args.details]:
        recipient, first, second, k = case
        print("  in window: %s first %s by %s (%s), again %s by %s (%s), kill of %s %.0f ms after the first" % (
            recipient, fmt(first[0]), first[1], first[2], fmt(second[0]), second[1], second[2],
            first[1], (k - first[0]) * 1000))
    for case in outside[: args.details]:
        recipient, first, second, k = case
        print("  OUTSIDE: recipient %s (delivery %s)" % (recipient, index_of.get(recipient, "?")))
        for t, host, mid in sends[recipient]:
            print("      send %s by %s, message id %s" % (fmt(t), host, mid))
        kb = kill_before(first[1], first[0])
        print("      kills of %s around the first send: before %s, after %s" % (
            first[1], fmt(kb) if kb else "-", fmt(k) if k else "-"))
        show_attempts(index_of.get(recipient))
        for t, kind, host in nearby_events(first[0], second[0]):
            print("      event %s %s %s" % (fmt(t), kind, host))
    for index in lost[: args.details]:
        print("  LOST: delivery %d, user %s" % (index, user_of[index]))
        show_attempts(index)
        first = attempts[index][0][0]
        for t, kind, host in nearby_events(first, first):
            print("      event %s %s %s" % (fmt(t), kind, host))
    ok = not lost and not outside
    print("RESULT:                %s" % ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
