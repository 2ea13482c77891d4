#!/usr/bin/env python3
"""Slow-client attacker for bench/slow_clients.sh: keeps COUNT connections to HOST:PORT open,
each sending a partial request and then one byte every INTERVAL seconds (mode "trickle"), or
nothing at all (mode "silent"). A connection the server closes is opened again at once, as an
attacker would. Runs for DURATION seconds, then prints how many connections were open at the end
and how often the server closed one."""
import asyncio
import resource
import sys


async def attacker(host, port, mode, interval, stop, stats):
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.1)
            continue
        stats["open"] += 1
        try:
            if mode == "trickle":
                writer.write(b"POST /api/database/x/chat-agents/y/instagram/webhook HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                await writer.drain()
            while not stop.is_set():
                try:
                    data = await asyncio.wait_for(reader.read(4096), timeout=interval)
                    if not data:
                        break  # closed by the server
                except asyncio.TimeoutError:
                    if mode == "trickle":
                        writer.write(b"a")
                        await writer.drain()
        except OSError:
            pass
        finally:
            stats["open"] -= 1
            if not stop.is_set():
                stats["closed_by_server"] += 1
            writer.close()


async def main():
    host, port, count, mode, interval, duration = (sys.argv[1], int(sys.argv[2]), int(sys.argv[3]),
                                                   sys.argv[4], float(sys.argv[5]), float(sys.argv[6]))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 256)), hard))
    stop = asyncio.Event()
    stats = {"open": 0, "closed_by_server": 0, "refused": 0}
    tasks = [asyncio.create_task(attacker(host, port, mode, interval, stop, stats)) for _ in range(count)]
    await asyncio.sleep(duration)
    print(f"attackers: {count} {mode}, open at the end: {stats['open']}, "
          f"closed by the server: {stats['closed_by_server']}, refused: {stats['refused']}", flush=True)
    stop.set()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


asyncio.run(main())
