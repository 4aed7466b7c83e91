# Loopback imitation of the hub (API listing, tree, resolve with an LFS redirect to another origin, Range) for scripts/hub-interop/run.sh.
import hashlib, json, sys, os, urllib.parse
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
COMMIT = "c0ffee" + "0" * 34
files = {"config.json": b'{"hidden_size": 8}', "tokenizer.json": b'{"model": {}}', "model.safetensors": os.urandom(250_000)}
def sha256(b): return hashlib.sha256(b).hexdigest()
def gitsha1(b): return hashlib.sha1(b"blob %d\0" % len(b) + b).hexdigest()
def lfs(b): return len(b) > 100
class H(BaseHTTPRequestHandler):
    def log_message(self, fmt, *a): sys.stderr.write("REQ %s %s\n" % (self.command, self.path))
    def send(self, code, body=b"", headers={}):
        self.send_response(code)
        for k, v in headers.items(): self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD": self.wfile.write(body)
    def do_HEAD(self): self.do_GET()
    def do_GET(self):
        u = urllib.parse.urlparse(self.path); p = urllib.parse.unquote(u.path)
        if p.startswith("/api/models/acme/tiny/revision/"):
            body = json.dumps({"id": "acme/tiny", "sha": COMMIT, "siblings": [{"rfilename": f} for f in files]}).encode()
            return self.send(200, body, {"Content-Type": "application/json"})
        if p.startswith("/api/models/acme/tiny/tree/"):
            body = json.dumps([dict({"type": "file", "path": f, "size": len(b), "oid": gitsha1(b)},
                                    **({"lfs": {"oid": sha256(b), "size": len(b), "pointerSize": 130}} if lfs(b) else {})) for f, b in files.items()]).encode()
            return self.send(200, body, {"Content-Type": "application/json"})
        if p.startswith("/acme/tiny/resolve/"):
            f = p.split("/", 5)[5]
            b = files.get(f)
            if b is None: return self.send(404, b"{}", {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": COMMIT})
            if lfs(b):
                return self.send(302, b"", {"X-Repo-Commit": COMMIT, "X-Linked-Etag": '"%s"' % sha256(b), "X-Linked-Size": str(len(b)),
                                            "ETag": '"%s"' % gitsha1(b), "Location": "http://localhost:18731/cdn/%s?sig=1" % sha256(b)})
            return self.send(200, b, {"X-Repo-Commit": COMMIT, "ETag": '"%s"' % gitsha1(b)})
        if p.startswith("/cdn/"):
            for b in files.values():
                if sha256(b) == p[5:]:
                    rng = self.headers.get("Range")
                    if rng:
                        start = int(rng[6:-1]); return self.send(206, b[start:], {"Content-Range": "bytes %d-%d/%d" % (start, len(b) - 1, len(b))})
                    return self.send(200, b)
        self.send(404, b"{}", {"X-Error-Code": "RepoNotFound"})
s = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
s.serve_forever()
