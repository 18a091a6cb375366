package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	testKey = "herald-test-key-0123456789"
	// The same key, as Herald's standardSigningKey.
	testWhsec  = "whsec_aGVyYWxkLXRlc3Qta2V5LTAxMjM0NTY3ODk="
	oldKey     = "previous-key-before-rotation"
	testBody   = `{"event":"User.Created","createdAt":"2024-01-01T00:00:00.000Z","data":{"id":"u1"},"hookId":"h1"}`
	testNow    = int64(1_700_000_000)
	testWebhID = "msg_1"
)

func standardSignature(key, id string, timestamp int64, body string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(id + "." + strconv.FormatInt(timestamp, 10) + "." + body))
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func standardHeaders(body string, timestamp int64, keys ...string) http.Header {
	signatures := make([]string, 0, len(keys))
	for _, key := range keys {
		signatures = append(signatures, standardSignature(key, testWebhID, timestamp, body))
	}
	h := http.Header{}
	h.Set("webhook-id", testWebhID)
	h.Set("webhook-timestamp", strconv.FormatInt(timestamp, 10))
	h.Set("webhook-signature", strings.Join(signatures, " "))
	return h
}

func logtoHeaders(body, key string) http.Header {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(body))
	h := http.Header{}
	h.Set("logto-signature-sha-256", hex.EncodeToString(mac.Sum(nil)))
	return h
}

func with(h http.Header, name, value string) http.Header {
	c := h.Clone()
	c.Set(name, value)
	return c
}

func verifierAt(t *testing.T, key string, now int64) *Verifier {
	t.Helper()
	v, err := NewVerifier(key)
	if err != nil {
		t.Fatalf("NewVerifier(%q): %v", key, err)
	}
	v.Now = func() time.Time { return time.Unix(now, 0) }
	return v
}

func mustVerify(t *testing.T, v *Verifier, h http.Header, body string) {
	t.Helper()
	if err := v.Verify(h, []byte(body)); err != nil {
		t.Fatalf("expected the request to verify, got %v", err)
	}
}

func mustRefuse(t *testing.T, v *Verifier, h http.Header, body string, status int, reason string) {
	t.Helper()
	err := v.Verify(h, []byte(body))
	var refused *VerificationError
	if !errors.As(err, &refused) {
		t.Fatalf("expected a VerificationError %d %q, got %v", status, reason, err)
	}
	if refused.Status != status || !strings.Contains(refused.Reason, reason) {
		t.Fatalf("expected %d %q, got %d %q", status, reason, refused.Status, refused.Reason)
	}
}

func TestSignaturesMatchHeraldsAndTheStandardWebhooksVector(t *testing.T) {
	// Computed by Herald's src/outbound/sign.ts for testKey, "msg_1", testNow and testBody.
	const herald = "v1,IuhrNbDxn+jJFr+0rOXgBaPEBfo5Xqgsgf1DJvcSZXo="
	if got := standardHeaders(testBody, testNow, testKey).Get("webhook-signature"); got != herald {
		t.Fatalf("standard signature %q", got)
	}
	const logto = "7b7eb3b10fbfdad414746869c56a1139e75fbb110f68f57ce7f66303ebb93c2b"
	if got := logtoHeaders(testBody, testKey).Get("logto-signature-sha-256"); got != logto {
		t.Fatalf("logto signature %q", got)
	}
	// The Standard Webhooks reference libraries' own test vector.
	h := http.Header{}
	h.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	h.Set("webhook-timestamp", "1614265330")
	h.Set("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	mustVerify(t, verifierAt(t, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 1614265330), h, `{"test": 2432232314}`)
}

func TestStandardWebhooksWithThePlainKeyAndItsWhsecForm(t *testing.T) {
	for _, key := range []string{testKey, testWhsec} {
		mustVerify(t, verifierAt(t, key, testNow), standardHeaders(testBody, testNow, testKey), testBody)
	}
	key, err := KeyBytes(testWhsec)
	if err != nil || string(key) != testKey {
		t.Fatalf("KeyBytes(whsec) = %q, %v", key, err)
	}
}

func TestLogtoSignatureWhenThereAreNoStandardHeaders(t *testing.T) {
	for _, key := range []string{testKey, testWhsec} {
		mustVerify(t, verifierAt(t, key, testNow), logtoHeaders(testBody, testKey), testBody)
	}
	v := verifierAt(t, testKey, testNow)
	mustRefuse(t, v, logtoHeaders(testBody, oldKey), testBody, 401, "invalid logto-signature-sha-256")
	zeros := http.Header{"Logto-Signature-Sha-256": {strings.Repeat("00", 32)}}
	mustRefuse(t, v, zeros, testBody, 401, "invalid logto-signature-sha-256")
}

func TestHeaderNamesInAnyCase(t *testing.T) {
	h := http.Header{}
	for name, values := range standardHeaders(testBody, testNow, testKey) {
		h.Add(strings.ToUpper(name), values[0])
	}
	mustVerify(t, verifierAt(t, testKey, testNow), h, testBody)
}

func TestRotationTwoEntriesVerifyWithEitherKey(t *testing.T) {
	h := standardHeaders(testBody, testNow, testKey, oldKey)
	if n := len(strings.Split(h.Get("webhook-signature"), " ")); n != 2 {
		t.Fatalf("%d entries", n)
	}
	oldWhsec := "whsec_" + base64.StdEncoding.EncodeToString([]byte(oldKey))
	for _, key := range []string{testKey, oldKey, oldWhsec} {
		mustVerify(t, verifierAt(t, key, testNow), h, testBody)
	}
	mustRefuse(t, verifierAt(t, "a-third-key", testNow), h, testBody, 401, "no valid webhook-signature")
}

func TestOnlyV1EntriesCount(t *testing.T) {
	v := verifierAt(t, testKey, testNow)
	signature := strings.TrimPrefix(standardSignature(testKey, testWebhID, testNow, testBody), "v1,")
	signed := standardHeaders(testBody, testNow, testKey)
	for _, value := range []string{
		"v2," + signature,
		"v1a," + signature,
		signature,
		"v1," + signature + "x",
		"v1," + strings.ToLower(signature),
	} {
		mustRefuse(t, v, with(signed, "webhook-signature", value), testBody, 401, "no valid webhook-signature")
	}
	mustVerify(t, v, with(signed, "webhook-signature", "v2,abc  v1,"+signature), testBody)
}

func TestTimestampToleranceRefusesStaleAndFuture(t *testing.T) {
	h := standardHeaders(testBody, testNow, testKey)
	for _, offset := range []int64{-300, 0, 300} {
		mustVerify(t, verifierAt(t, testKey, testNow+offset), h, testBody)
	}
	mustRefuse(t, verifierAt(t, testKey, testNow+301), h, testBody, 401, "webhook-timestamp too old")
	mustRefuse(t, verifierAt(t, testKey, testNow-301), h, testBody, 401, "too far in the future")
	strict := verifierAt(t, testKey, testNow+11)
	strict.Tolerance = 10 * time.Second
	mustRefuse(t, strict, h, testBody, 401, "too old")
	lenient := verifierAt(t, testKey, testNow+3600)
	lenient.Tolerance = time.Hour
	mustVerify(t, lenient, h, testBody)
	// The real clock: a signature made now verifies, one from ten minutes ago does not.
	real, err := NewVerifier(testKey)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	mustVerify(t, real, standardHeaders(testBody, now, testKey), testBody)
	mustRefuse(t, real, standardHeaders(testBody, now-600, testKey), testBody, 401, "too old")
}

func TestAMalformedTimestampIsABadRequest(t *testing.T) {
	v := verifierAt(t, testKey, testNow)
	signed := standardHeaders(testBody, testNow, testKey)
	for _, value := range []string{"abc", "-1", "1e9", "1700000000.5", "+1700000000", "١٧٠٠"} {
		mustRefuse(t, v, with(signed, "webhook-timestamp", value), testBody, 400, "invalid webhook-timestamp")
	}
}

func TestTamperedBodyIdOrTimestamp(t *testing.T) {
	v := verifierAt(t, testKey, testNow)
	tampered := strings.Replace(testBody, `"u1"`, `"u2"`, 1)
	signed := standardHeaders(testBody, testNow, testKey)
	const invalid = "no valid webhook-signature"
	mustRefuse(t, v, signed, tampered, 401, invalid)
	mustRefuse(t, v, logtoHeaders(testBody, testKey), tampered, 401, "invalid logto-signature-sha-256")
	mustRefuse(t, v, signed, testBody+" ", 401, invalid)
	mustRefuse(t, v, with(signed, "webhook-id", "msg_2"), testBody, 401, invalid)
	later := strconv.FormatInt(testNow+1, 10)
	mustRefuse(t, v, with(signed, "webhook-timestamp", later), testBody, 401, invalid)
}

func TestStandardHeadersWinOverAValidLogtoSignature(t *testing.T) {
	// A forged Standard Webhooks signature is not rescued by falling back to Logto's.
	h := standardHeaders(testBody, testNow, "wrong")
	h.Set("logto-signature-sha-256", logtoHeaders(testBody, testKey).Get("logto-signature-sha-256"))
	mustRefuse(t, verifierAt(t, testKey, testNow), h, testBody, 401, "no valid webhook-signature")
}

func TestMissingHeaders(t *testing.T) {
	v := verifierAt(t, testKey, testNow)
	mustRefuse(t, v, http.Header{}, testBody, 400, "missing signature headers")
	mustRefuse(t, v, http.Header{"Content-Type": {"application/json"}}, testBody, 400, "missing signature headers")
	for _, name := range []string{"webhook-id", "webhook-timestamp", "webhook-signature"} {
		h := standardHeaders(testBody, testNow, testKey)
		h.Del(name)
		h.Set("logto-signature-sha-256", logtoHeaders(testBody, testKey).Get("logto-signature-sha-256"))
		mustRefuse(t, v, h, testBody, 400, "missing header "+name)
	}
}

func TestAVerifiedBodyThatIsNotJSON(t *testing.T) {
	h := standardHeaders("not json", testNow, testKey)
	mustRefuse(t, verifierAt(t, testKey, testNow), h, "not json", 400, "body is not JSON")
}

func TestKeys(t *testing.T) {
	if key, err := KeyBytes("whsec_YWJj"); err != nil || string(key) != "abc" {
		t.Fatalf("KeyBytes(whsec_YWJj) = %q, %v", key, err)
	}
	for _, bad := range []string{"", "whsec_not base64!"} {
		if _, err := NewVerifier(bad); err == nil {
			t.Fatalf("NewVerifier(%q) accepted", bad)
		}
	}
}

type receiver struct {
	server *httptest.Server
	out    *bytes.Buffer
	errs   *bytes.Buffer
}

func startReceiver(t *testing.T) *receiver {
	t.Helper()
	v, err := NewVerifier(testKey)
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{out: &bytes.Buffer{}, errs: &bytes.Buffer{}}
	r.server = httptest.NewServer(NewHandler(v, r.out, log.New(r.errs, "", 0)))
	t.Cleanup(r.server.Close)
	return r
}

func (r *receiver) send(t *testing.T, method, body string, h http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, r.server.URL+"/hook", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for name, values := range h {
		req.Header[name] = values
	}
	req.Header.Set("content-type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	text, _ := io.ReadAll(res.Body)
	return res.StatusCode, strings.TrimSpace(string(text))
}

func TestAVerifiedDeliveryAnswers204AndPrintsOneLine(t *testing.T) {
	r := startReceiver(t)
	h := standardHeaders(testBody, time.Now().Unix(), testKey)
	h.Set("logto-signature-sha-256", logtoHeaders(testBody, testKey).Get("logto-signature-sha-256"))
	if status, text := r.send(t, "POST", testBody, h); status != 204 || text != "" {
		t.Fatalf("answered %d %q", status, text)
	}
	if status, _ := r.send(t, "POST", testBody, logtoHeaders(testBody, testKey)); status != 204 {
		t.Fatalf("logto-only answered %d", status)
	}
	want := "verified User.Created id=msg_1 hook=h1 scheme=standard\nverified User.Created id=- hook=h1 scheme=logto\n"
	if r.out.String() != want {
		t.Fatalf("printed %q", r.out.String())
	}
	if r.errs.Len() != 0 {
		t.Fatalf("logged %q", r.errs.String())
	}
}

func TestRefusalsAnswer400Or401WithAReasonAndPrintNothing(t *testing.T) {
	r := startReceiver(t)
	now := time.Now().Unix()
	tampered := strings.Replace(testBody, `"u1"`, `"admin"`, 1)
	cases := []struct {
		body   string
		header http.Header
		status int
		reason string
	}{
		{tampered, standardHeaders(testBody, now, testKey), 401, "no valid webhook-signature"},
		{tampered, logtoHeaders(testBody, testKey), 401, "invalid logto-signature-sha-256"},
		{testBody, standardHeaders(testBody, now-301, testKey), 401, "webhook-timestamp too old"},
		{testBody, standardHeaders(testBody, now+301, testKey), 401, "webhook-timestamp too far in the future"},
		{testBody, http.Header{}, 400, "missing signature headers"},
		{strings.Repeat(" ", maxBodyBytes+1), logtoHeaders(testBody, testKey), 413, "body too large"},
	}
	for _, c := range cases {
		if status, text := r.send(t, "POST", c.body, c.header); status != c.status || text != c.reason {
			t.Errorf("%q: answered %d %q", c.reason, status, text)
		}
	}
	if status, text := r.send(t, "GET", "", nil); status != 405 || text != "POST only" {
		t.Errorf("GET answered %d %q", status, text)
	}
	if r.out.Len() != 0 {
		t.Fatalf("printed %q", r.out.String())
	}
	lines := strings.Split(strings.TrimSpace(r.errs.String()), "\n")
	if len(lines) != len(cases)+1 || !strings.HasSuffix(lines[0], "401 no valid webhook-signature") {
		t.Fatalf("logged %q", lines)
	}
}
