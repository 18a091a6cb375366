"""Tests of receiver.py, standard library only: python3 -m unittest (in this folder)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import io
import json
import threading
import time
import unittest

from receiver import VerificationError, key_bytes, make_server, verify

KEY = "herald-test-key-0123456789"
WHSEC = "whsec_aGVyYWxkLXRlc3Qta2V5LTAxMjM0NTY3ODk="  # the same key, as Herald's standardSigningKey
OLD_KEY = "previous-key-before-rotation"
BODY = (
    b'{"event":"User.Created","createdAt":"2024-01-01T00:00:00.000Z",'
    b'"data":{"id":"u1"},"hookId":"h1"}'
)
NOW = 1_700_000_000


def standard_signature(key: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    mac = hmac.new(key.encode(), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def standard_headers(body=BODY, keys=(KEY,), webhook_id="msg_1", timestamp=NOW) -> dict:
    signatures = [standard_signature(key, webhook_id, timestamp, body) for key in keys]
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signatures),
    }


def logto_headers(body: bytes = BODY, key: str = KEY) -> dict:
    return {"logto-signature-sha-256": hmac.new(key.encode(), body, hashlib.sha256).hexdigest()}


def at(seconds: float):
    return lambda: seconds


class VerifyTest(unittest.TestCase):
    def assert_refused(self, status, reason, body, headers, key=KEY, **options):
        options.setdefault("now", at(NOW))
        with self.assertRaises(VerificationError) as caught:
            verify(body, headers, key, **options)
        self.assertEqual(caught.exception.status, status)
        self.assertIn(reason, caught.exception.reason)

    def test_signatures_match_heralds_and_the_standard_webhooks_vector(self):
        # Computed by Herald's src/outbound/sign.ts for KEY, "msg_1", NOW and BODY.
        self.assertEqual(
            standard_headers()["webhook-signature"],
            "v1,IuhrNbDxn+jJFr+0rOXgBaPEBfo5Xqgsgf1DJvcSZXo=",
        )
        self.assertEqual(
            logto_headers()["logto-signature-sha-256"],
            "7b7eb3b10fbfdad414746869c56a1139e75fbb110f68f57ce7f66303ebb93c2b",
        )
        # The Standard Webhooks reference libraries' own test vector.
        body = b'{"test": 2432232314}'
        headers = {
            "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "webhook-timestamp": "1614265330",
            "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        }
        secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        payload = verify(body, headers, secret, now=at(1614265330))
        self.assertEqual(payload, {"test": 2432232314})

    def test_standard_webhooks_with_the_plain_key_and_its_whsec_form(self):
        for key in (KEY, WHSEC):
            with self.subTest(key=key):
                payload = verify(BODY, standard_headers(), key, now=at(NOW))
                self.assertEqual(payload["event"], "User.Created")
                self.assertEqual(payload["hookId"], "h1")
        self.assertEqual(key_bytes(WHSEC), KEY.encode())

    def test_logto_signature_when_there_are_no_standard_headers(self):
        for key in (KEY, WHSEC):
            with self.subTest(key=key):
                self.assertEqual(verify(BODY, logto_headers(), key)["data"], {"id": "u1"})
        self.assert_refused(401, "logto-signature-sha-256", BODY, logto_headers(key=OLD_KEY))
        zeros = {"logto-signature-sha-256": "00" * 32}
        self.assert_refused(401, "logto-signature-sha-256", BODY, zeros)

    def test_header_names_in_any_case(self):
        headers = {name.upper(): value for name, value in standard_headers().items()}
        self.assertEqual(verify(BODY, headers, KEY, now=at(NOW))["event"], "User.Created")

    def test_rotation_two_entries_verify_with_either_key(self):
        headers = standard_headers(keys=(KEY, OLD_KEY))
        self.assertEqual(len(headers["webhook-signature"].split(" ")), 2)
        for key in (KEY, OLD_KEY, "whsec_" + base64.b64encode(OLD_KEY.encode()).decode()):
            with self.subTest(key=key):
                self.assertEqual(verify(BODY, headers, key, now=at(NOW))["event"], "User.Created")
        self.assert_refused(401, "webhook-signature", BODY, headers, key="a-third-key")

    def test_only_v1_entries_count(self):
        signature = standard_signature(KEY, "msg_1", NOW, BODY).split(",", 1)[1]
        for value in (f"v2,{signature}", f"v1a,{signature}", signature, f"v1,{signature}x", ""):
            with self.subTest(value=value):
                headers = {**standard_headers(), "webhook-signature": value}
                status = 400 if value == "" else 401
                self.assert_refused(status, "webhook-signature", BODY, headers)
        headers = {**standard_headers(), "webhook-signature": f"v2,abc  v1,{signature}"}
        self.assertEqual(verify(BODY, headers, KEY, now=at(NOW))["hookId"], "h1")

    def test_timestamp_tolerance_refuses_stale_and_future(self):
        headers = standard_headers()
        for offset in (-300, 0, 300):
            self.assertEqual(verify(BODY, headers, KEY, now=at(NOW + offset))["hookId"], "h1")
        self.assert_refused(401, "too old", BODY, headers, now=at(NOW + 301))
        self.assert_refused(401, "future", BODY, headers, now=at(NOW - 301))
        self.assert_refused(401, "too old", BODY, headers, now=at(NOW + 11), tolerance_seconds=10)
        an_hour_later = verify(BODY, headers, KEY, now=at(NOW + 3600), tolerance_seconds=3600)
        self.assertEqual(an_hour_later["hookId"], "h1")
        # The real clock: a signature made now verifies, one from ten minutes ago does not.
        now = int(time.time())
        self.assertEqual(verify(BODY, standard_headers(timestamp=now), KEY)["hookId"], "h1")
        with self.assertRaises(VerificationError):
            verify(BODY, standard_headers(timestamp=now - 600), KEY)

    def test_a_malformed_timestamp_is_a_bad_request(self):
        for value in ("abc", "-1", "1e9", " ", "1700000000.5", "١٧٠٠"):
            with self.subTest(value=value):
                headers = {**standard_headers(), "webhook-timestamp": value}
                self.assert_refused(400, "webhook-timestamp", BODY, headers)

    def test_tampered_body_id_or_timestamp(self):
        tampered = BODY.replace(b'"u1"', b'"u2"')
        self.assert_refused(401, "webhook-signature", tampered, standard_headers())
        self.assert_refused(401, "logto-signature-sha-256", tampered, logto_headers())
        for name, value in (("webhook-id", "msg_2"), ("webhook-timestamp", str(NOW + 1))):
            with self.subTest(changed=name):
                headers = {**standard_headers(), name: value}
                self.assert_refused(401, "webhook-signature", BODY, headers)
        self.assert_refused(401, "webhook-signature", BODY + b" ", standard_headers())

    def test_standard_headers_win_over_a_valid_logto_signature(self):
        # A forged Standard Webhooks signature is not rescued by falling back to Logto's.
        headers = {**standard_headers(keys=("wrong",)), **logto_headers()}
        self.assert_refused(401, "webhook-signature", BODY, headers)

    def test_missing_headers(self):
        self.assert_refused(400, "missing signature headers", BODY, {})
        unsigned = {"content-type": "application/json"}
        self.assert_refused(400, "missing signature headers", BODY, unsigned)
        full = standard_headers()
        for name in full:
            with self.subTest(missing=name):
                partial = {k: v for k, v in full.items() if k != name}
                headers = {**partial, **logto_headers()}
                self.assert_refused(400, f"missing header {name}", BODY, headers)

    def test_a_verified_body_that_is_not_json(self):
        body = b"not json"
        self.assert_refused(400, "not JSON", body, standard_headers(body=body))

    def test_keys(self):
        self.assertEqual(key_bytes("abc"), b"abc")
        self.assertEqual(key_bytes("whsec_YWJj"), b"abc")
        with self.assertRaises(ValueError):
            key_bytes("whsec_not base64!")
        with self.assertRaises(ValueError):
            key_bytes("")


class ServerTest(unittest.TestCase):
    def setUp(self):
        self.out = io.StringIO()
        self.err = io.StringIO()
        self.server = make_server(
            "127.0.0.1", 0, KEY, tolerance_seconds=300, out=self.out, err=self.err
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.addCleanup(self.stop)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def post(self, body: bytes, headers: dict, method: str = "POST"):
        connection = http.client.HTTPConnection(*self.server.server_address[:2], timeout=5)
        try:
            headers = {"content-type": "application/json", **headers}
            connection.request(method, "/hook", body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()

    def test_a_verified_delivery_answers_204_and_prints_one_line(self):
        headers = {**standard_headers(timestamp=int(time.time())), **logto_headers()}
        self.assertEqual(self.post(BODY, headers), (204, ""))
        lines = self.out.getvalue().splitlines()
        self.assertEqual(lines, ["verified User.Created id=msg_1 hook=h1 scheme=standard"])
        self.assertEqual(self.post(BODY, logto_headers()), (204, ""))
        lines = self.out.getvalue().splitlines()
        self.assertEqual(lines[1], "verified User.Created id=- hook=h1 scheme=logto")
        self.assertEqual(self.err.getvalue(), "")

    def test_refusals_answer_400_or_401_with_a_reason_and_print_nothing(self):
        now = int(time.time())
        tampered = json.dumps({**json.loads(BODY), "data": {"id": "admin"}}).encode()
        future = "webhook-timestamp too far in the future"
        cases = [
            (tampered, standard_headers(timestamp=now), 401, "no valid webhook-signature"),
            (tampered, logto_headers(), 401, "invalid logto-signature-sha-256"),
            (BODY, standard_headers(timestamp=now - 301), 401, "webhook-timestamp too old"),
            (BODY, standard_headers(timestamp=now + 301), 401, future),
            (BODY, {}, 400, "missing signature headers"),
        ]
        for body, headers, status, reason in cases:
            with self.subTest(reason=reason):
                self.assertEqual(self.post(body, headers), (status, reason))
        self.assertEqual(self.out.getvalue(), "")
        refusals = self.err.getvalue().splitlines()
        self.assertEqual(len(refusals), len(cases))
        self.assertIn('"POST /hook HTTP/1.1" 401 no valid webhook-signature', refusals[0])

    def test_a_body_over_1_mib_or_without_a_length_is_refused_unread(self):
        for length in ("1048577", None):
            with self.subTest(length=length):
                connection = http.client.HTTPConnection(*self.server.server_address[:2], timeout=5)
                try:
                    connection.putrequest("POST", "/hook")
                    if length:
                        connection.putheader("content-length", length)
                    connection.endheaders()
                    response = connection.getresponse()
                    answer = (response.status, response.read().decode())
                    if length:
                        self.assertEqual(answer, (413, "body too large"))
                    else:
                        self.assertEqual(answer, (411, "content-length required"))
                finally:
                    connection.close()

    def test_other_methods_are_not_deliveries(self):
        self.assertEqual(self.post(b"", {}, method="GET"), (405, "POST only"))
        self.assertEqual(self.post(BODY, logto_headers(), method="PUT"), (405, "POST only"))
        self.assertEqual(self.out.getvalue(), "")


if __name__ == "__main__":
    unittest.main()
