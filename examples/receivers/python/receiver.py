#!/usr/bin/env python3
"""A Herald webhook receiver that verifies every request, with Python's standard library only.

Run it:

    HERALD_SIGNING_KEY=<the hook's signingKey or standardSigningKey> python3 receiver.py

Environment: HERALD_SIGNING_KEY (required: the plain key, or its Standard Webhooks form
``whsec_...``), PORT (default 3000; 0 picks a free port), HOST (default 0.0.0.0),
TOLERANCE_SECONDS (default 300: how far ``webhook-timestamp`` may be from this machine's clock,
either way).

Herald signs every request twice, over the exact body bytes:

- ``webhook-id``, ``webhook-timestamp``, ``webhook-signature`` (Standard Webhooks):
  ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``, one space-separated entry per key
  while a key rotation's grace period lasts;
- ``logto-signature-sha-256`` (Logto's): hex HMAC-SHA256 of the body.

Both are keyed with the signing key's UTF-8 bytes. ``verify`` checks the Standard Webhooks headers
when a request has them (they also bind the id and time, which stops replays) and Logto's header
otherwise. Import it from your own code::

    from receiver import VerificationError, verify
    payload = verify(body_bytes, request_headers, signing_key)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Mapping, Optional, TextIO, Union

DEFAULT_TOLERANCE_SECONDS = 300
MAX_BODY_BYTES = 1024 * 1024
STANDARD_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
LOGTO_HEADER = "logto-signature-sha-256"
_TIMESTAMP = re.compile(r"[0-9]{1,15}")
_LENGTH = re.compile(r"[0-9]{1,10}")


class VerificationError(Exception):
    """A request that is not a verified Herald delivery.

    ``status`` is the HTTP status to answer: 400 for a malformed request (missing or unreadable
    headers, a body that is not JSON), 401 for a signature or timestamp that does not check out.
    """

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def key_bytes(signing_key: Union[str, bytes]) -> bytes:
    """The HMAC key: a ``whsec_`` secret's base64-decoded bytes, or a plain key's UTF-8 bytes."""
    if isinstance(signing_key, bytes):
        return signing_key
    if signing_key.startswith("whsec_"):
        try:
            return base64.b64decode(signing_key[len("whsec_"):], validate=True)
        except binascii.Error as error:
            raise ValueError(f"the whsec_ signing key is not valid base64: {error}") from None
    if not signing_key:
        raise ValueError("the signing key is empty")
    return signing_key.encode("utf-8")


def _as_bytes(text: str) -> bytes:
    # compare_digest takes str only when it is ASCII: compare bytes, whatever the header holds.
    return text.encode("utf-8", "replace")


def _lower_keys(headers: Mapping[str, str]) -> dict:
    # http.server's headers (an email.message.Message) and plain dicts alike.
    return {name.lower(): value for name, value in headers.items()}


def verify(
    body: bytes,
    headers: Mapping[str, str],
    signing_key: Union[str, bytes],
    *,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    now: Optional[Callable[[], float]] = None,
) -> Any:
    """Verifies one request and returns its JSON payload, or raises VerificationError.

    ``body`` must be the raw bytes received: re-serialised JSON does not verify.
    """
    key = key_bytes(signing_key)
    lowered = _lower_keys(headers)
    present = [name for name in STANDARD_HEADERS if lowered.get(name)]
    if present:
        missing = [name for name in STANDARD_HEADERS if name not in present]
        if missing:
            raise VerificationError(400, f"missing header {missing[0]}")
        _verify_standard(body, lowered, key, tolerance_seconds, now or time.time)
    elif lowered.get(LOGTO_HEADER):
        expected = hmac.new(key, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(_as_bytes(expected), _as_bytes(lowered[LOGTO_HEADER].strip())):
            raise VerificationError(401, "invalid logto-signature-sha-256")
    else:
        raise VerificationError(400, "missing signature headers")
    try:
        return json.loads(body)
    except ValueError:
        raise VerificationError(400, "body is not JSON") from None


def _verify_standard(
    body: bytes,
    headers: Mapping[str, str],
    key: bytes,
    tolerance_seconds: int,
    now: Callable[[], float],
) -> None:
    webhook_id = headers["webhook-id"].strip()
    timestamp = headers["webhook-timestamp"].strip()
    if not _TIMESTAMP.fullmatch(timestamp):
        raise VerificationError(400, "invalid webhook-timestamp")
    age = now() - int(timestamp)
    if age > tolerance_seconds:
        raise VerificationError(401, "webhook-timestamp too old")
    if age < -tolerance_seconds:
        raise VerificationError(401, "webhook-timestamp too far in the future")
    signed = b"".join((webhook_id.encode("utf-8"), b".", timestamp.encode("ascii"), b".", body))
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    verified = False
    # Every entry is checked, so the time taken does not tell which one matched.
    for entry in headers["webhook-signature"].split(" "):
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(expected, _as_bytes(signature)):
            verified = True
    if not verified:
        raise VerificationError(401, "no valid webhook-signature")


def make_server(
    host: str,
    port: int,
    signing_key: Union[str, bytes],
    *,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    out: Optional[TextIO] = None,
    err: Optional[TextIO] = None,
) -> ThreadingHTTPServer:
    """A server answering 204 to verified deliveries, 4xx otherwise.

    Each verified delivery prints one line on ``out`` (stdout); refusals are logged on ``err``
    (stderr).
    """
    key = key_bytes(signing_key)
    if tolerance_seconds < 0:
        raise ValueError("TOLERANCE_SECONDS must not be negative")
    log = out or sys.stdout
    errors = err or sys.stderr

    class Handler(BaseHTTPRequestHandler):
        server_version = "herald-receiver-python"
        timeout = 30  # seconds for a client to send its request

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = self.headers.get("content-length", "").strip()
            if not _LENGTH.fullmatch(length):
                return self._answer(411, "content-length required")
            if int(length) > MAX_BODY_BYTES:
                return self._answer(413, "body too large")
            body = self.rfile.read(int(length))
            try:
                payload = verify(body, self.headers, key, tolerance_seconds=tolerance_seconds)
            except VerificationError as error:
                return self._answer(error.status, error.reason)
            fields = payload if isinstance(payload, dict) else {}
            standard = any(self.headers.get(name) for name in STANDARD_HEADERS)
            line = "verified {} id={} hook={} scheme={}".format(
                fields.get("event") or "-",
                self.headers.get("webhook-id") or "-",
                fields.get("hookId") or "-",
                "standard" if standard else "logto",
            )
            print(line, file=log, flush=True)
            # Handle the event here, or queue it: Herald waits for this answer, and retries after
            # a timeout or a non-2xx with the same webhook-id (de-duplicate on it).
            self._answer(204)

        def _not_post(self) -> None:
            self._answer(405, "POST only", {"allow": "POST"})

        do_GET = do_HEAD = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _not_post  # noqa: N815

        def _answer(self, status: int, reason: str = "", headers: Optional[dict] = None) -> None:
            if status != 204:
                self.log_message('"%s" %d %s', self.requestline, status, reason)
            data = reason.encode("utf-8")
            self.send_response(status)
            if data:
                self.send_header("content-type", "text/plain; charset=utf-8")
            self.send_header("content-length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if data and self.command != "HEAD":
                self.wfile.write(data)

        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            # A verified delivery has its line on stdout; _answer logs the others with their reason.
            pass

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's naming)
            errors.write(f"{self.address_string()} - {format % args}\n")
            errors.flush()

    return ThreadingHTTPServer((host, port), Handler)


def _whole_number(name: str, default: str) -> int:
    value = os.environ.get(name) or default
    if not _LENGTH.fullmatch(value):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def main() -> int:
    signing_key = os.environ.get("HERALD_SIGNING_KEY", "")
    if not signing_key:
        print(
            "HERALD_SIGNING_KEY is required (the hook's signingKey, or its whsec_ form)",
            file=sys.stderr,
        )
        return 2
    try:
        port = _whole_number("PORT", "3000")
        tolerance = _whole_number("TOLERANCE_SECONDS", str(DEFAULT_TOLERANCE_SECONDS))
        host = os.environ.get("HOST", "0.0.0.0")
        server = make_server(host, port, signing_key, tolerance_seconds=tolerance)
    except (ValueError, OSError) as error:
        print(f"cannot start: {error}", file=sys.stderr)
        return 2
    bound_host, bound_port = server.server_address[:2]
    print(f"listening on http://{bound_host}:{bound_port}", flush=True)
    # SIGTERM (docker stop, systemd) stops it as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
