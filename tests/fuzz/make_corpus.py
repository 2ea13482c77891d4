#!/usr/bin/env python3
"""Regenerates the seed corpora in tests/fuzz/corpus/<target>/ from the unit tests' inputs.

String literals (plain, concatenated and raw) are read from the tests that exercise each
parser, filtered to what looks like that parser's input, and written one per file (named by
content hash, so rerunning adds nothing twice). Multi-field targets get fields joined by NUL, as
tests/fuzz/fuzz_support.h splits them. Hand-made seeds and regression inputs (crash-*, regress-*)
in the same directories are left alone.

    python3 tests/fuzz/make_corpus.py
"""
import base64
import hashlib
import hmac
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests/fuzz/corpus"

ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def literals(path):
    """Every string literal of a C++ file, adjacent literals joined."""
    text = (ROOT / path).read_text()
    out, pos, current, last_end = [], 0, None, -1
    token = re.compile(r'R"([^(\s]*)\(|"|//[^\n]*|/\*.*?\*/|\'(?:\\.|[^\'])\'', re.S)
    while True:
        m = token.search(text, pos)
        if not m:
            break
        tok = m.group(0)
        if tok.startswith("//") or tok.startswith("/*") or tok.startswith("'"):
            pos = m.end()
            continue
        if tok.startswith('R"'):
            delim = ")" + m.group(1) + '"'
            end = text.index(delim, m.end())
            value, stop = text[m.end():end], end + len(delim)
        else:
            i, buf = m.end(), []
            while text[i] != '"':
                if text[i] == "\\":
                    c = text[i + 1]
                    if c == "x":
                        hx = re.match(r"[0-9a-fA-F]+", text[i + 2:]).group(0)
                        buf.append(chr(int(hx, 16)))
                        i += 2 + len(hx)
                        continue
                    buf.append(ESCAPES.get(c, c))
                    i += 2
                    continue
                buf.append(text[i])
                i += 1
            value, stop = "".join(buf), i + 1
        between = text[last_end:m.start()] if last_end >= 0 else None
        if current is not None and between is not None and between.strip() == "":
            current += value
        else:
            if current is not None:
                out.append(current)
            current = value
        last_end = pos = stop
    if current is not None:
        out.append(current)
    return out


def write(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / ("seed-" + hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def main():
    # request_framing: raw requests of the framing, server and hostile-client tests.
    for f in ["tests/host/http/request_framing_test.cpp", "tests/host/http/hostile_clients_test.cpp",
              "tests/host/http/http_server_test.cpp"]:
        for s in literals(f):
            if re.match(r"^[A-Z]+ \S+ HTTP/1\.[01]\r\n", s) or re.match(r"^[A-Z]+ ", s) and "\r\n" in s:
                write("request_framing", s)

    # response_wire: statuses, content types, header pairs and bodies of the envelope/wire tests.
    wire = [(200, "application/json", [("X-Request-Id", "abc")], '{"success":true,"data":{}}'),
            (403, "text/plain; charset=utf-8", [("X-Evil", "a\r\nSet-Cookie: x=1")], "no"),
            (201, "", [("Content-Length", "5"), ("Transfer-Encoding", "chunked")], "hello"),
            (999, "text/html", [("Content-Security-Policy", "default-src 'self'")], "<p>"),
            (204, "a\nb", [("Bad Name", "v"), ("X-Nul", "a\0b"), ("Connection", "close")], ""),
            (0, "text/plain", [(":", "x"), ("Location", "/a?b=c")], "x" * 40)]
    for status, ctype, headers, body in wire:
        for flags in (0, 1, 3):
            st = status & 0xFFFF
            fields = [ctype]
            for k, v in headers:
                fields += [k, v]
            fields += [""] * (17 - len(fields)) + [body]
            write("response_wire", bytes([st >> 8, st & 255, flags]) + "\0".join(fields).encode())

    # webhook_parser: both plugins' payload corpora and every JSON body of the parser tests.
    for corpus in ["tests/plugins/meta/corpus", "tests/plugins/messenger/corpus"]:
        for p in sorted((ROOT / corpus).glob("*.json")):
            write("webhook_parser", p.read_bytes())
    for f in ["tests/plugins/meta/messaging_parser_test.cpp",
              "tests/plugins/instagram/instagram_channel_test.cpp"]:
        for s in literals(f):
            if s.lstrip().startswith("{") and ("entry" in s or "sender" in s or "message" in s):
                write("webhook_parser", s)

    # signature: secret NUL header NUL body, with right, wrong and malformed headers.
    bodies = [b'{"object":"instagram","entry":[]}', b"", b"\x00\xff raw bytes"]
    for p in sorted((ROOT / "tests/plugins/meta/corpus").glob("*.json"))[:2]:
        bodies.append(p.read_bytes())
    for secret in [b"app-secret", b"s3cr3t", b""]:
        for body in bodies:
            sig = hmac.new(secret, body, hashlib.sha256).hexdigest()
            for header in ["sha256=" + sig, "sha256=" + sig.upper(), "sha1=" + sig[:40],
                           "sha256=" + sig[:-1], "sha256=" + "0" * 64, ""]:
                write("signature", secret + b"\0" + header.encode() + b"\0" + body)

    # jwt: Authorization header NUL JWS header JSON NUL payload JSON; tokens as the tests make
    # them, with the tests' secret and clock (jwt_fuzz.cpp uses the same).
    secret, now = b"0123456789abcdef0123456789abcdef-test-secret", 1750000000
    headers = ['{"alg":"HS256","typ":"JWT"}', '{"alg":"none","typ":"JWT"}', '{"alg":"HS512"}',
               '{"alg":"HS256"}']
    payloads = ['{"sub":"ops","subaccounts":["acme","beta"],"exp":%d}' % (now + 600),
                '{"sub":"ops","subaccounts":["*"],"exp":%d,"nbf":%d}' % (now + 60, now - 10),
                '{"sub":"ops","exp":%d}' % (now - 3600),
                '{"sub":7,"subaccounts":"acme","exp":%d}' % (now + 60),
                '{"sub":"ops","subaccounts":["acme",1],"exp":1e99}',
                '{"sub":"ops","subaccounts":[],"exp":%d,"nbf":%d}' % (now + 60, now + 3600),
                '{"exp":"soon"}', "[]", "not json"]
    for h in headers:
        for p in payloads:
            si = b64url(h.encode()) + "." + b64url(p.encode())
            tok = si + "." + b64url(hmac.new(secret, si.encode(), hashlib.sha256).digest())
            for auth in ["Bearer " + tok, "bearer  " + tok + " ", "Basic " + tok, si + "."]:
                write("jwt", auth + "\0" + h + "\0" + p)
    for s in literals("tests/host/auth/bearer_test.cpp"):
        write("jwt", s + "\0ops\0acme,beta")

    # route_matcher: pattern NUL path NUL other pattern, from the route and router tests.
    pats, paths = [], []
    for f in ["tests/host/http/route_pattern_test.cpp", "tests/host/http/api_router_test.cpp"]:
        for s in literals(f):
            if s.startswith("/") or s == "" or s.startswith("api/"):
                (pats if (":" in s or "*" in s) else paths).append(s)
    pats = sorted(set(pats)) + ["/", "/api/x"]
    paths = sorted(set(paths))
    for i, pat in enumerate(pats):
        for j, path in enumerate(paths[i % 5::5]):
            write("route_matcher", pat + "\0" + path + "\0" + pats[(i + j + 1) % len(pats)])
    for q in ["a=1&b=x%20y&flag", "hub.mode=subscribe&hub.verify_token=t&hub.challenge=123",
              "a=%zz", "+=+&&=", "q=%E2%9C%93"]:
        write("route_matcher", "/:a/*r\0/x/y?" + q + "\0" + q)

    # config_loader: the shipped configs and every YAML text of the config tests.
    for p in sorted((ROOT / "configs").glob("*.yaml")):
        write("config_loader", p.read_bytes())
    for f in ["tests/host/config/config_loader_test.cpp", "tests/host/config/agents_section_test.cpp",
              "tests/host/config/plugin_config_view_test.cpp",
              "tests/host/config/shipped_configs_test.cpp"]:
        for s in literals(f):
            if re.search(r"^\s*[a-z_]+:", s, re.M):
                write("config_loader", s)

    # agent_validator: create body NUL patch body, from the validation and policy tests.
    bodies = []
    for f in ["tests/host/agents/agent_validation_test.cpp", "tests/host/agents/agent_policy_test.cpp",
              "tests/host/agents/endpoint_address_check_test.cpp",
              "tests/host/agents/config_secrets_test.cpp"]:
        for s in literals(f):
            if s.lstrip().startswith("{"):
                bodies.append(s)
    bodies = sorted(set(bodies))
    for i, b in enumerate(bodies):
        write("agent_validator", b + "\0" + bodies[(i * 7 + 3) % len(bodies)])
        try:
            cfg = json.loads(b)
        except ValueError:
            continue
        if isinstance(cfg, dict) and "name" not in cfg:
            for t in ["rules", "openai", "http"]:
                create = json.dumps({"name": "A", "type": t, "config": cfg})
                write("agent_validator", create + "\0" + json.dumps({"config": cfg}))

    # sign_in: state token NUL send body NUL subaccount NUL agent NUL redirect URI; states signed
    # with the fuzz target's key (sign_in_fuzz.cpp), good, expired and tampered.
    key, now = b"fuzz-state-key-0123456789abcdef", 1750000000000
    states = []
    for exp in (now + 600000, now - 1):
        payload = b64url(json.dumps({"s": "acme", "a": "support", "c": "instagram",
                                     "r": "https://chat.example.com/oauth/instagram/callback",
                                     "e": exp, "n": "0f5c", "b": "9d1e"}).encode())
        sig = hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()
        states += [payload + "." + sig, payload + "." + sig[:-1] + "0", payload + "x." + sig]
    states += ["", ".", "abc", "a.b.c", "%%%." + "0" * 64]
    sends = ['{"to":"1789","message":"hello"}',
             '{"to":"1789","attachment":{"type":"image","url":"https://cdn.example.com/a.png"}}',
             '{"to":"1789","message":"hi","tag":"HUMAN_AGENT"}',
             '{"to":"1789","message":"","tag":"ACCOUNT_UPDATE"}',
             '{"to":"../x","message":"hi"}', '{"to":1,"attachment":"x"}', "[]"]
    for s in literals("tests/host/conversation/send_request_test.cpp") if (
            ROOT / "tests/host/conversation/send_request_test.cpp").exists() else []:
        if s.lstrip().startswith("{"):
            sends.append(s)
    for i, state in enumerate(states):
        for send in sends[i % len(sends):][:3]:
            write("sign_in", "\0".join([state, send, "acme", "support.1",
                                        "http://127.0.0.1:8080/oauth/instagram/callback"]))


if __name__ == "__main__":
    main()
