#!/usr/bin/env python3
"""Upload sink for the benchmark backend.

Reads every request body to the end (Content-Length or chunked), drops the bytes, and only then
answers 200 with the number of body bytes it read, so a client's upload time covers the whole
transfer through the proxy. HTTP/1.1 keep-alive, one thread per connection.

usage: sink.py PORT
"""
import socket
import socketserver
import sys

BUF = 1 << 20


class Sink(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        rfile = sock.makefile("rb", buffering=BUF)
        scratch = memoryview(bytearray(BUF))
        while True:
            line = rfile.readline(65536)
            if not line:
                return
            if line in (b"\r\n", b"\n"):
                continue
            headers = {}
            while True:
                h = rfile.readline(65536)
                if not h:
                    return
                if h in (b"\r\n", b"\n"):
                    break
                name, _, value = h.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            if "100-continue" in headers.get("expect", "").lower():
                sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            if "chunked" in headers.get("transfer-encoding", "").lower():
                received = self.drain_chunked(rfile, scratch)
            else:
                received = self.drain(rfile, scratch, int(headers.get("content-length", "0")))
            if received < 0:
                return
            body = b"%d\n" % received
            close = headers.get("connection", "").lower() == "close"
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n%s\r\n%s"
                         % (len(body), b"Connection: close\r\n" if close else b"", body))
            if close:
                return

    @staticmethod
    def drain(rfile, scratch, length):
        left = length
        while left > 0:
            n = rfile.readinto(scratch[:min(left, len(scratch))])
            if not n:
                return -1
            left -= n
        return length

    @classmethod
    def drain_chunked(cls, rfile, scratch):
        total = 0
        while True:
            size_line = rfile.readline(65536)
            if not size_line:
                return -1
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while rfile.readline(65536) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return total
            if cls.drain(rfile, scratch, size) < 0:
                return -1
            total += size
            rfile.readline(65536)  # CRLF after the chunk


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024


if __name__ == "__main__":
    with Server(("127.0.0.1", int(sys.argv[1])), Sink) as server:
        server.serve_forever()
