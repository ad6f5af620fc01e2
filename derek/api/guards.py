"""ASGI middleware the app needs before routing: a request-size limit that answers 413
with a clear message (checked on Content-Length and while streaming chunked bodies), and
security headers that keep untrusted article text inert even if escaping ever failed."""
from __future__ import annotations

import json

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


async def _send_413(send, limit: int, size: int | None) -> None:
    got = f"{size} bytes" if size is not None else "more"
    body = json.dumps({"detail": f"request body too large: {got}, the limit is {limit} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class Guards:
    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                size = int(length)
            except ValueError:
                size = None
            if size is not None and size > self.max_bytes:
                return await _send_413(send, self.max_bytes, size)
        if length is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            # chunked upload without a length: read it (up to the limit) before routing
            messages, seen = [], 0
            while True:
                message = await receive()
                messages.append(message)
                if message["type"] != "http.request":
                    break
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    return await _send_413(send, self.max_bytes, None)
                if not message.get("more_body"):
                    break
            replay = iter(messages)

            async def buffered_receive():
                return next(replay, None) or await receive()

            receive = buffered_receive

        async def secured_send(message):
            if message["type"] == "http.response.start":
                extra = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"no-referrer")]
                message = {**message, "headers": list(message.get("headers") or []) + extra}
            await send(message)

        await self.app(scope, receive, secured_send)
