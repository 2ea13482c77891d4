#!/usr/bin/env python3
"""Graph API stand-in for the drills: answers POST .../messages like the Send API and logs every
send as one line "<unix time, ms> <sender> <recipient id> <message id>", written and flushed
before the answer leaves, so a send the host may have seen answered is always in the log.

<sender> is the first path segment: each host of a drill gets its own graph_base_url
(http://127.0.0.1:PORT/<host name>), which tells which host made a send. Any other request
(account lookup, profile fetch) gets the bench account.

Usage: graph_standin.py PORT SENDS_LOG
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT = b'{"id":"17841400000000001","username":"bench_shop","name":"Bench Shop","account_type":"BUSINESS"}'


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the Graph API
    # The head and the body leave in two writes: with Nagle's algorithm the body would wait for
    # the client's delayed ACK (40 ms), and the host would see each answer that much later than
    # the log says.
    disable_nagle_algorithm = True
    log_lock = threading.Lock()
    counter = 0
    log = None

    def log_message(self, *args):  # no access log on stderr
        pass

    def answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.split("?", 1)[0].endswith("/subscribed_apps"):  # read before subscribing
            self.answer(b'{"data":[]}')
            return
        self.answer(ACCOUNT)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        if path.endswith("/subscribed_apps"):  # connect subscribes the account first
            self.answer(b'{"success":true}')
            return
        if not path.endswith("/messages"):
            self.answer(ACCOUNT)
            return
        try:
            recipient = str(json.loads(raw)["recipient"]["id"])
        except (ValueError, KeyError, TypeError):
            recipient = "unreadable"
        sender = path.lstrip("/").split("/", 1)[0]
        with Handler.log_lock:
            Handler.counter += 1
            mid = "m_%d" % Handler.counter
            Handler.log.write("%.3f %s %s %s\n" % (time.time(), sender, recipient, mid))
            Handler.log.flush()
        self.answer(json.dumps({"recipient_id": recipient, "message_id": mid}).encode())


def main():
    port, log_path = int(sys.argv[1]), sys.argv[2]
    Handler.log = open(log_path, "a", buffering=1)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 1024
    server.serve_forever()


if __name__ == "__main__":
    main()
