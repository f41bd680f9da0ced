#!/usr/bin/env python3
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""A tiny read-only Neutron stand-in for the minicloud (standard library only).

Nova needs a `network` endpoint even for servers booted with `--nic none`
(security groups on show, port lists on build and delete).  This answers
`GET /v2.0/<collection>` with an empty list, the version documents at `/`
and `/v2.0`, and 404 for everything else (writes get 403).  It checks no token.
"""

import argparse
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
import json

VERSION = {"id": "v2.0", "status": "CURRENT",
           "links": [{"rel": "self", "href": "http://127.0.0.1:9696/v2.0/"}]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "minicloud-neutron-stub/1.0"

    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        if path.endswith(".json"):
            path = path[:-5]
        parts = [p for p in path.split("/") if p]
        if not parts:
            return self._send(200, {"versions": [VERSION]})
        if parts[0] != "v2.0":
            return self._send(404, {"NeutronError": {"message": "not found"}})
        if len(parts) == 1:
            return self._send(200, {"resources": []})
        if len(parts) == 2:
            return self._send(200, {parts[1].replace("-", "_"): []})
        return self._send(404, {"NeutronError": {
            "type": "NotFound", "message": "%s not found" % path,
            "detail": ""}})

    do_HEAD = do_GET

    def _refuse(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._send(403, {"NeutronError": {
            "type": "Forbidden", "detail": "",
            "message": "the minicloud network stand-in is read-only"}})

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse

    def log_message(self, fmt, *args):
        print("%s %s" % (self.address_string(), fmt % args), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9696)
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print("neutron stand-in on http://%s:%d" % (args.host, args.port),
          flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
