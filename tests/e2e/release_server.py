#!/usr/bin/env python3
"""release_server.py — a stand-in for GitHub's releases API and its asset downloads, on
127.0.0.1 at a free port, for the download tests (cli_download.sh, the wizard's tui flow).

    release_server.py --port-file FILE --tag TAG [--mode MODE] [--log FILE] ASSET...

It answers GET /repos/openmv/openmv/releases/latest and /releases/tags/TAG with a release in
the shape of GitHub's "get a release" answer (tag_name; assets[] with name, size,
browser_download_url, digest "sha256:<hex>"), one asset per ASSET file (named by its base
name).  An asset's address redirects (302) once to where its bytes are, as GitHub's does.
MODE: good; wrong-digest (the digest of other bytes); no-digest (digest null); truncated (a
Content-Length larger than the body: the last 1000 bytes never come, then the connection
ends); stop-mid-transfer (half the bytes, a pause, then the connection reset); 404 (no such
release).  FILE gets the port once the server listens; --log gets one line per
request ("GET /path").
"""
import argparse
import hashlib
import http.server
import json
import os
import socket
import struct
import sys
import time

API = "/repos/openmv/openmv/releases/"


def release(opts, port):
    assets = []
    for path in opts.assets:
        data = open(path, "rb").read()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if opts.mode == "wrong-digest":
            digest = "sha256:" + hashlib.sha256(data + b"x").hexdigest()
        name = os.path.basename(path)
        assets.append({
            "name": name, "size": len(data), "content_type": "application/zip",
            "digest": None if opts.mode == "no-digest" else digest,
            "browser_download_url": "http://127.0.0.1:%d/openmv/openmv/releases/download/%s/%s"
                                    % (port, opts.tag, name)})
    return {"tag_name": opts.tag, "name": opts.tag, "assets": assets}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_body(self, status, body, ctype):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        opts = self.server.opts
        if opts.log:
            with open(opts.log, "a") as f:
                f.write("GET %s\n" % self.path)
        port = self.server.server_address[1]
        if self.path in (API + "latest", API + "tags/" + opts.tag) and opts.mode != "404":
            self.send_body(200, json.dumps(release(opts, port)).encode(), "application/json")
        elif self.path.startswith(API):
            body = {"message": "Not Found", "status": "404"}
            self.send_body(404, json.dumps(body).encode(), "application/json")
        elif self.path.startswith("/openmv/openmv/releases/download/"):
            self.send_response(302)
            self.send_header("Location", "/storage/" + self.path.rsplit("/", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/storage/"):
            self.send_asset(self.path[len("/storage/"):])
        else:
            self.send_body(404, b"not here\n", "text/plain")

    def send_asset(self, name):
        opts = self.server.opts
        found = [p for p in opts.assets if os.path.basename(p) == name]
        if not found:
            self.send_body(404, b"no such asset\n", "text/plain")
            return
        data = open(found[0], "rb").read()
        if opts.mode not in ("truncated", "stop-mid-transfer"):
            self.send_body(200, data, "application/octet-stream")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if opts.mode == "truncated":
            self.wfile.write(data[:-1000])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        else:
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            time.sleep(2)
            # SO_LINGER with a zero timeout: close() resets the connection
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--tag", required=True)
    ap.add_argument("--mode", default="good", choices=["good", "wrong-digest", "no-digest",
                                                       "truncated", "stop-mid-transfer", "404"])
    ap.add_argument("--log")
    ap.add_argument("assets", nargs="+")
    opts = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.opts = opts
    tmp = opts.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, opts.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
