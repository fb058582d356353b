#!/usr/bin/env python3
"""Apps proxy benchmark, Python 3 standard library only.

  server --port P           a tiny app: GET <anything> -> a 1 KiB page; a WebSocket upgrade -> echo of every message
  client --direct URL --proxy URL [--cookie C --origin O]
                            HTTP: N sequential GETs of the page, direct and through the proxy (p50, p99 in ms);
                            WebSocket: echo of 64 KiB binary messages for a few seconds, direct and proxied (MB/s).
                            Prints one JSON object.
Loopback only; every loop is bounded (request count, seconds).
"""
import argparse, base64, hashlib, http.client, json, os, socket, socketserver, struct, sys, time, urllib.parse

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455
PAGE = (b"<!doctype html><title>bench</title>" + b"x" * 990)[:1024]


def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("connection closed")
        buf += chunk
    return bytes(buf)


def read_frame(sock):
    """One whole message (fragments joined): (opcode, payload)."""
    data, opcode = bytearray(), None
    while True:
        b0, b1 = recv_exact(sock, 2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", recv_exact(sock, 2))[0]
        elif n == 127:
            n = struct.unpack(">Q", recv_exact(sock, 8))[0]
        mask = recv_exact(sock, 4) if b1 & 0x80 else None
        payload = recv_exact(sock, n)
        if mask:
            payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload)) if n < 4096 else _unmask(payload, mask)
        op = b0 & 0x0F
        if op >= 8:  # control frame
            return op, payload
        if opcode is None:
            opcode = op
        data += payload
        if b0 & 0x80:
            return opcode, bytes(data)


def _unmask(payload, mask):
    m = int.from_bytes((mask * (len(payload) // 4 + 1))[:len(payload)], "big")
    return (int.from_bytes(payload, "big") ^ m).to_bytes(len(payload), "big")


def write_frame(sock, opcode, payload, masked):
    head = bytearray([0x80 | opcode])
    n = len(payload)
    mbit = 0x80 if masked else 0
    if n < 126:
        head.append(mbit | n)
    elif n < 65536:
        head.append(mbit | 126)
        head += struct.pack(">H", n)
    else:
        head.append(mbit | 127)
        head += struct.pack(">Q", n)
    if masked:
        mask = os.urandom(4)
        head += mask
        payload = _unmask(payload, mask) if payload else payload
    sock.sendall(bytes(head) + payload)


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            line = self.rfile.readline(65537)
            if not line:
                return
            headers = {}
            while True:
                h = self.rfile.readline(65537)
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode("latin-1").partition(":")
                headers[k.strip().lower()] = v.strip()
            if headers.get("upgrade", "").lower() == "websocket":
                accept = base64.b64encode(hashlib.sha1(headers["sec-websocket-key"].encode() + GUID).digest())
                self.wfile.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
                self.wfile.flush()
                sock = self.connection
                while True:
                    try:
                        op, payload = read_frame(sock)
                    except EOFError:
                        return
                    if op == 8:
                        write_frame(sock, 8, payload[:2], False)
                        return
                    if op == 9:
                        write_frame(sock, 10, payload, False)
                        continue
                    write_frame(sock, op, payload, False)
            n = int(headers.get("content-length", "0") or 0)
            if n:
                self.rfile.read(n)
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE)
                             + PAGE)
            self.wfile.flush()


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def http_latency(url, n, headers):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    path = u.path + ("?" + u.query if u.query else "")
    times = []
    for _ in range(n):
        t = time.perf_counter()
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        times.append((time.perf_counter() - t) * 1000.0)
        if r.status != 200:
            raise SystemExit("GET %s: %d %s" % (url, r.status, body[:200]))
    conn.close()
    return {"requests": n, "p50_ms": round(pct(times, 50), 3), "p99_ms": round(pct(times, 99), 3),
            "mean_ms": round(sum(times) / n, 3)}


def ws_throughput(url, seconds, size, headers):
    u = urllib.parse.urlsplit(url)
    sock = socket.create_connection((u.hostname, u.port), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    path = u.path + ("?" + u.query if u.query else "")
    req = ["GET %s HTTP/1.1" % path, "Host: %s:%d" % (u.hostname, u.port), "Upgrade: websocket",
           "Connection: Upgrade", "Sec-WebSocket-Key: " + key, "Sec-WebSocket-Version: 13"]
    req += ["%s: %s" % kv for kv in headers.items()]
    sock.sendall(("\r\n".join(req) + "\r\n\r\n").encode("latin-1"))
    resp = b""
    while b"\r\n\r\n" not in resp:
        chunk = sock.recv(4096)
        if not chunk:
            raise SystemExit("WebSocket %s: closed during the handshake" % url)
        resp += chunk
        if len(resp) > 65536:
            raise SystemExit("WebSocket %s: no end of the handshake" % url)
    status = resp.split(b"\r\n", 1)[0]
    if b" 101 " not in status:
        raise SystemExit("WebSocket %s: %s" % (url, status.decode("latin-1")))
    expected = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
    if ("sec-websocket-accept: " + expected).lower() not in resp.decode("latin-1").lower():
        raise SystemExit("WebSocket %s: bad Sec-WebSocket-Accept" % url)
    payload = os.urandom(size)
    messages, start = 0, time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        write_frame(sock, 2, payload, True)
        op, echo = read_frame(sock)
        if op != 2 or len(echo) != size:
            raise SystemExit("WebSocket %s: bad echo (opcode %d, %d bytes)" % (url, op, len(echo)))
        messages += 1
    elapsed = time.perf_counter() - start
    write_frame(sock, 8, struct.pack(">H", 1000), True)
    sock.close()
    # bytes sent and received
    return {"messages": messages, "message_bytes": size, "seconds": round(elapsed, 2),
            "mb_per_s": round(2 * messages * size / elapsed / 1e6, 1)}


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("server")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--bind", default="0.0.0.0")
    c = sub.add_parser("client")
    c.add_argument("--direct", required=True, help="http://host:port/ of the app")
    c.add_argument("--proxy", required=True, help="http://127.0.0.1:<port>/proxy/<session>/")
    c.add_argument("--cookie", default="")
    c.add_argument("--origin", default="")
    c.add_argument("--requests", type=int, default=2000)
    c.add_argument("--ws-seconds", type=float, default=5.0)
    c.add_argument("--ws-bytes", type=int, default=65536)
    a = ap.parse_args()
    if a.cmd == "server":
        with Server((a.bind, a.port), Handler) as srv:
            srv.serve_forever()
        return
    if a.requests < 1 or a.requests > 100000 or a.ws_seconds <= 0 or a.ws_seconds > 60:
        raise SystemExit("--requests 1..100000, --ws-seconds (0, 60]")
    for u in (a.direct, a.proxy):
        if urllib.parse.urlsplit(u).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("loopback URLs only: " + u)
    auth = {"Cookie": a.cookie} if a.cookie else {}
    ws_auth = dict(auth)
    if a.origin:
        ws_auth["Origin"] = a.origin
    wsu = lambda u: u.rstrip("/") + "/ws"
    out = {"http_direct": http_latency(a.direct, a.requests, {}),
           "http_proxy": http_latency(a.proxy, a.requests, auth),
           "ws_direct": ws_throughput(wsu(a.direct), a.ws_seconds, a.ws_bytes, {}),
           "ws_proxy": ws_throughput(wsu(a.proxy), a.ws_seconds, a.ws_bytes, ws_auth)}
    out["http_overhead_p50_ms"] = round(out["http_proxy"]["p50_ms"] - out["http_direct"]["p50_ms"], 3)
    out["http_overhead_p99_ms"] = round(out["http_proxy"]["p99_ms"] - out["http_direct"]["p99_ms"], 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
