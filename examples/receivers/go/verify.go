package main

// Verification of Herald's webhook signatures, with the standard library only. Copy this file into
// your own program (changing its package name) and call Verify with the raw body bytes received.
//
// Herald signs every request twice, over the exact body bytes, both keyed with the signing key's
// UTF-8 bytes:
//   - webhook-id, webhook-timestamp, webhook-signature (Standard Webhooks): "v1,<base64 HMAC-SHA256
//     of "{id}.{timestamp}.{body}">", one space-separated entry per key while a key rotation's grace
//     period lasts;
//   - logto-signature-sha-256 (Logto's): hex HMAC-SHA256 of the body.
//
// Verify checks the Standard Webhooks headers when a request has them (they also bind the id and
// time, which stops replays) and Logto's header otherwise.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how far webhook-timestamp may be from the receiver's clock, either way.
const DefaultTolerance = 5 * time.Minute

const logtoHeader = "logto-signature-sha-256"

var (
	standardHeaderNames = []string{"webhook-id", "webhook-timestamp", "webhook-signature"}
	timestampFormat     = regexp.MustCompile(`^[0-9]{1,15}$`)
)

// VerificationError is a request that is not a verified Herald delivery. Status is the HTTP status
// to answer: 400 for a malformed request (missing or unreadable headers, a body that is not JSON),
// 401 for a signature or timestamp that does not check out.
type VerificationError struct {
	Status int
	Reason string
}

func (e *VerificationError) Error() string { return e.Reason }

func refuse(status int, reason string) error {
	return &VerificationError{Status: status, Reason: reason}
}

// KeyBytes is the HMAC key of a signing key: a "whsec_" secret's base64-decoded bytes, or a plain
// key's UTF-8 bytes.
func KeyBytes(signingKey string) ([]byte, error) {
	if secret, ok := cutPrefix(signingKey, "whsec_"); ok {
		key, err := base64.StdEncoding.DecodeString(secret)
		if err != nil {
			return nil, fmt.Errorf("the whsec_ signing key is not valid base64: %w", err)
		}
		return key, nil
	}
	if signingKey == "" {
		return nil, errors.New("the signing key is empty")
	}
	return []byte(signingKey), nil
}

// cutPrefix is strings.CutPrefix, which Go 1.19 does not have yet.
func cutPrefix(s, prefix string) (string, bool) {
	if !strings.HasPrefix(s, prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// Verifier checks requests signed with one signing key.
type Verifier struct {
	key []byte
	// Tolerance is how far webhook-timestamp may be from Now, either way.
	Tolerance time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// NewVerifier takes the hook's signingKey, or its Standard Webhooks form (standardSigningKey, "whsec_…").
func NewVerifier(signingKey string) (*Verifier, error) {
	key, err := KeyBytes(signingKey)
	if err != nil {
		return nil, err
	}
	return &Verifier{key: key, Tolerance: DefaultTolerance}, nil
}

// HasStandardHeaders tells whether a request carries any Standard Webhooks header, in which case
// Verify checks those (and requires all three) rather than Logto's.
func HasStandardHeaders(header http.Header) bool {
	for _, name := range standardHeaderNames {
		if header.Get(name) != "" {
			return true
		}
	}
	return false
}

// Verify returns nil for a verified request, or a *VerificationError. body must be the raw bytes
// received: re-encoded JSON does not verify.
func (v *Verifier) Verify(header http.Header, body []byte) error {
	switch {
	case HasStandardHeaders(header):
		for _, name := range standardHeaderNames {
			if header.Get(name) == "" {
				return refuse(http.StatusBadRequest, "missing header "+name)
			}
		}
		if err := v.verifyStandard(header, body); err != nil {
			return err
		}
	case header.Get(logtoHeader) != "":
		mac := hmac.New(sha256.New, v.key)
		mac.Write(body)
		expected := hex.EncodeToString(mac.Sum(nil))
		if !hmac.Equal([]byte(expected), []byte(strings.TrimSpace(header.Get(logtoHeader)))) {
			return refuse(http.StatusUnauthorized, "invalid logto-signature-sha-256")
		}
	default:
		return refuse(http.StatusBadRequest, "missing signature headers")
	}
	if !json.Valid(body) {
		return refuse(http.StatusBadRequest, "body is not JSON")
	}
	return nil
}

func (v *Verifier) verifyStandard(header http.Header, body []byte) error {
	id := strings.TrimSpace(header.Get("webhook-id"))
	timestamp := strings.TrimSpace(header.Get("webhook-timestamp"))
	if !timestampFormat.MatchString(timestamp) {
		return refuse(http.StatusBadRequest, "invalid webhook-timestamp")
	}
	seconds, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return refuse(http.StatusBadRequest, "invalid webhook-timestamp")
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	age := now().Sub(time.Unix(seconds, 0))
	if age > v.Tolerance {
		return refuse(http.StatusUnauthorized, "webhook-timestamp too old")
	}
	if age < -v.Tolerance {
		return refuse(http.StatusUnauthorized, "webhook-timestamp too far in the future")
	}

	mac := hmac.New(sha256.New, v.key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	expected := []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	verified := false
	// Every entry is checked, so the time taken does not tell which one matched.
	for _, entry := range strings.Split(header.Get("webhook-signature"), " ") {
		version, signature, _ := strings.Cut(entry, ",")
		if version == "v1" && hmac.Equal(expected, []byte(signature)) {
			verified = true
		}
	}
	if !verified {
		return refuse(http.StatusUnauthorized, "no valid webhook-signature")
	}
	return nil
}
