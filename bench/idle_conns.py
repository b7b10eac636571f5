#!/usr/bin/env python3
"""Open N keep-alive client connections to a proxy, send one request on each, then hold them idle.

When every connection has its response (or failed), writes "ok=<n> failed=<m> secs=<t>" to
READY_FILE, then keeps the sockets open until RELEASE_FILE appears or HOLD_SECS pass.

usage: idle_conns.py HOST PORT N READY_FILE RELEASE_FILE [HOLD_SECS] [PATH]
"""
import asyncio
import os
import sys
import time


async def one(host, port, path, gate, held):
    async with gate:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
            writer.write(b"GET %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: keep-alive\r\n\r\n"
                         % (path.encode(), host.encode(), port))
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            if not head.startswith(b"HTTP/1.1 200"):
                writer.close()
                return False
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await asyncio.wait_for(reader.readexactly(length), 10)
            held.append((reader, writer))
            return True
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return False


async def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ready_file, release_file = sys.argv[4], sys.argv[5]
    hold = float(sys.argv[6]) if len(sys.argv) > 6 else 120
    path = sys.argv[7] if len(sys.argv) > 7 else "/small"
    gate = asyncio.Semaphore(200)  # bounded connect burst: stays under listen backlogs
    held = []
    start = time.monotonic()
    results = await asyncio.gather(*(one(host, port, path, gate, held) for _ in range(n)))
    ok = sum(results)
    with open(ready_file + ".tmp", "w") as f:
        f.write("ok=%d failed=%d secs=%.1f\n" % (ok, n - ok, time.monotonic() - start))
    os.rename(ready_file + ".tmp", ready_file)
    deadline = time.monotonic() + hold
    while time.monotonic() < deadline and not os.path.exists(release_file):
        await asyncio.sleep(0.2)
    # Connections still alive at release time: the proxy must not have dropped idle clients.
    alive = sum(1 for r, w in held if not r.at_eof() and not w.is_closing())
    for _, w in held:
        w.close()
    print("alive_at_release=%d" % alive)


if __name__ == "__main__":
    asyncio.run(main())
