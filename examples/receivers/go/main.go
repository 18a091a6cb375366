// A Herald webhook receiver that verifies every request, with Go's standard library only.
//
//	HERALD_SIGNING_KEY=<the hook's signingKey or standardSigningKey> go run .
//
// Environment: HERALD_SIGNING_KEY (required: the plain key, or its Standard Webhooks form
// "whsec_…"), PORT (default 3000; 0 picks a free port), HOST (default 0.0.0.0), TOLERANCE_SECONDS
// (default 300: how far webhook-timestamp may be from this machine's clock, either way).
//
// It answers 204 to a verified delivery and prints one line for it on stdout; anything else gets
// 400 or 401 with a short reason (logged on stderr).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"
)

const maxBodyBytes = 1 << 20

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func run() error {
	signingKey := os.Getenv("HERALD_SIGNING_KEY")
	if signingKey == "" {
		return errors.New("HERALD_SIGNING_KEY is required (the hook's signingKey, or its whsec_ form)")
	}
	verifier, err := NewVerifier(signingKey)
	if err != nil {
		return fmt.Errorf("cannot start: %w", err)
	}
	if value := os.Getenv("TOLERANCE_SECONDS"); value != "" {
		seconds, err := strconv.Atoi(value)
		if err != nil || seconds < 0 {
			return fmt.Errorf("cannot start: TOLERANCE_SECONDS must be a whole number of seconds, not %q", value)
		}
		verifier.Tolerance = time.Duration(seconds) * time.Second
	}
	listener, err := net.Listen("tcp", net.JoinHostPort(getenv("HOST", "0.0.0.0"), getenv("PORT", "3000")))
	if err != nil {
		return fmt.Errorf("cannot start: %w", err)
	}
	fmt.Printf("listening on http://%s\n", listener.Addr())

	server := &http.Server{
		Handler:           NewHandler(verifier, os.Stdout, log.New(os.Stderr, "", log.LstdFlags)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return server.Shutdown(shutdown)
	}
}

func getenv(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

// NewHandler answers 204 to verified deliveries, printing one line each on out, and 4xx with a
// short reason to anything else, logging it on errs.
func NewHandler(verifier *Verifier, out io.Writer, errs *log.Logger) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer := func(status int, reason string) {
			errs.Printf("%s %s %s: %d %s", r.RemoteAddr, r.Method, r.URL.Path, status, reason)
			http.Error(w, reason, status)
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			answer(http.StatusMethodNotAllowed, "POST only")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				answer(http.StatusRequestEntityTooLarge, "body too large")
			} else {
				answer(http.StatusBadRequest, "cannot read the body")
			}
			return
		}
		if err := verifier.Verify(r.Header, body); err != nil {
			var refused *VerificationError
			if errors.As(err, &refused) {
				answer(refused.Status, refused.Reason)
			} else {
				answer(http.StatusInternalServerError, "verification failed")
			}
			return
		}
		var payload struct {
			Event  string `json:"event"`
			HookID string `json:"hookId"`
		}
		_ = json.Unmarshal(body, &payload) // verified JSON; fields of another type print as "-"
		scheme := "logto"
		if HasStandardHeaders(r.Header) {
			scheme = "standard"
		}
		mu.Lock()
		fmt.Fprintf(out, "verified %s id=%s hook=%s scheme=%s\n",
			orDash(payload.Event), orDash(r.Header.Get("webhook-id")), orDash(payload.HookID), scheme)
		mu.Unlock()
		// Handle the event here, or queue it: Herald waits for this answer, and retries after a
		// timeout or a non-2xx with the same webhook-id (de-duplicate on it).
		w.WriteHeader(http.StatusNoContent)
	})
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
