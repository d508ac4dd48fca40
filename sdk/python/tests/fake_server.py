"""A real HTTP server on 127.0.0.1 that answers from a script, for retry tests: each request
takes the next scripted reply; every request's headers are kept."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = {"requestId": "r1", "task": "TASK_EXPAND_QUERIES", "output": '{"must_include":[]}', "winnerProvider": "fake"}


@dataclass
class Reply:
    status: int = 200
    body: object = field(default_factory=lambda: ANSWER)
    headers: dict = field(default_factory=dict)
    # Close the connection without answering (the client sees a reset or an empty reply).
    drop: bool = False


def error(status: int, code: str, message: str = "scripted", **headers: str) -> Reply:
    return Reply(status, {"code": code, "message": message, "request_id": ""}, headers)


class FakeServer:
    def __init__(self) -> None:
        self.script: list[Reply] = []
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                owner.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                reply = owner.script.pop(0) if owner.script else Reply()
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                data = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
