import { useId, useState } from 'react';
import { errorText, type Api } from '../api';
import { dateTime } from '../format';
import type { Hook } from '../../../src/hooks/schemas.ts';
import { ConfirmDialog, ErrorMessage, Notice } from './ui';

const GRACE_PERIODS = [
  [0, 'None: the new key replaces the old at once'],
  [3600, '1 hour'],
  [86_400, '24 hours'],
  [7 * 86_400, '7 days'],
] as const;

export function KeyField({ label, value, describedBy }: { label: string; value: string; describedBy: string }) {
  const labelId = useId();
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState<string>();
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied.');
    } catch {
      setShown(true);
      setCopied('The browser did not allow copying; the key is shown, select it and copy.');
    }
  }
  return (
    <div className="key-field">
      <span className="key-label" id={labelId}>
        {label}
      </span>
      <output className="key-value" aria-labelledby={labelId} aria-describedby={describedBy}>
        {/* As many dots as the key has characters: revealing it changes nothing of the layout. */}
        {shown ? value : <span aria-label="hidden">{'•'.repeat(value.length)}</span>}
      </output>
      <button type="button" onClick={() => setShown(!shown)} aria-pressed={shown}>
        {shown ? 'Hide' : 'Reveal'} <span className="visually-hidden">{label}</span>
      </button>
      <button type="button" onClick={copy}>
        Copy <span className="visually-hidden">{label}</span>
      </button>
      <span role="status">{copied}</span>
    </div>
  );
}

export const VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

// This webhook's signing key, from Herald's console (keep it out of your code).
const signingKey = process.env.HERALD_SIGNING_KEY;

function isSignedByHerald(rawBody, signature) {
  const expected = Buffer.from(createHmac('sha256', signingKey).update(rawBody).digest('hex'));
  const received = Buffer.from(String(signature ?? ''));
  return expected.length === received.length && timingSafeEqual(expected, received);
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const rawBody = Buffer.concat(chunks); // verify the bytes as received, before parsing
    if (!isSignedByHerald(rawBody, req.headers['logto-signature-sha-256'])) {
      res.writeHead(401).end();
      return;
    }
    const payload = JSON.parse(rawBody.toString('utf8'));
    // webhook-id is the same on every retry of a delivery: use it to skip duplicates.
    console.log(req.headers['webhook-id'], payload.event);
    res.writeHead(204).end();
  });
}).listen(process.env.PORT ?? 3000);
`;

export const STANDARD_SNIPPET = `import { Webhook } from 'standardwebhooks';

// The whsec_ form of the key; checks webhook-signature and webhook-timestamp (replays older than 5 min fail).
const webhook = new Webhook(process.env.HERALD_WHSEC);
const payload = webhook.verify(rawBody, req.headers); // throws when the signature is wrong
`;

export const SDK_SNIPPET = `import express from 'express';
import { expressWebhook } from 'herald-webhooks'; // packages/webhooks in Herald's repository

const app = express();
// Verifies webhook-signature (or logto-signature-sha-256) on the raw body; 401 when it is wrong.
app.post(
  '/webhooks/herald',
  expressWebhook(process.env.HERALD_SIGNING_KEY, async (event, req, res) => {
    // event is typed by its name: event.event === 'User.Created' → event.data is the user.
    console.log(req.headers['webhook-id'], event.event); // the same id on every retry
  }),
);
app.listen(3000);
`;

export const PYTHON_SNIPPET = `import hashlib
import hmac
import os

# This webhook's signing key, from Herald's console (keep it out of your code).
SIGNING_KEY = os.environ["HERALD_SIGNING_KEY"]


# raw_body: the request's bytes as received; signature: its logto-signature-sha-256 header.
def is_signed_by_herald(raw_body: bytes, signature: str) -> bool:
    expected = hmac.new(SIGNING_KEY.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature or "")

# Standard Webhooks headers, key rotation, replay window: examples/receivers/python/receiver.py
`;

export const GO_SNIPPET = `package main

import (
\t"crypto/hmac"
\t"crypto/sha256"
\t"encoding/hex"
\t"os"
)

// This webhook's signing key, from Herald's console (keep it out of your code).
var signingKey = []byte(os.Getenv("HERALD_SIGNING_KEY"))

// body: the request's bytes as received; signature: its logto-signature-sha-256 header.
func isSignedByHerald(body []byte, signature string) bool {
\tmac := hmac.New(sha256.New, signingKey)
\tmac.Write(body)
\texpected := hex.EncodeToString(mac.Sum(nil))
\treturn hmac.Equal([]byte(expected), []byte(signature))
}

// Standard Webhooks headers, key rotation, replay window: examples/receivers/go/verify.go
`;

const SNIPPETS = [
  ['node', 'Node.js', VERIFY_SNIPPET, 'Node.js example that verifies logto-signature-sha-256'],
  ['sdk', 'Node.js SDK', SDK_SNIPPET, 'Node.js example with the herald-webhooks package'],
  ['standard', 'Standard Webhooks', STANDARD_SNIPPET, 'Node.js example with the standardwebhooks package'],
  ['python', 'Python', PYTHON_SNIPPET, 'Python example that verifies logto-signature-sha-256'],
  ['go', 'Go', GO_SNIPPET, 'Go example that verifies logto-signature-sha-256'],
] as const;

/** The verification examples, one language at a time (the SDK's and the examples' own ways). */
function Snippets() {
  const [language, setLanguage] = useState<(typeof SNIPPETS)[number][0]>('node');
  const [, , code, label] = SNIPPETS.find(([key]) => key === language) ?? SNIPPETS[0];
  return (
    <>
      <h3>Verify the signature</h3>
      <div className="segmented" role="group" aria-label="Language">
        {SNIPPETS.map(([key, name]) => (
          <button key={key} type="button" aria-pressed={language === key} onClick={() => setLanguage(key)}>
            {name}
          </button>
        ))}
      </div>
      <pre className="snippet" tabIndex={0} aria-label={label}>
        {code}
      </pre>
    </>
  );
}

export function SigningKey({ api, hook, onRotated }: { api: Api; hook: Hook; onRotated: (hook: Hook) => void }) {
  const [grace, setGrace] = useState(0);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  async function rotate() {
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.send<Hook>(
        'PATCH',
        `/api/hooks/${hook.id}/signing-key`,
        grace > 0 ? { gracePeriodSeconds: grace } : {},
      );
      onRotated(updated);
      setNotice(
        updated.previousSigningKeyExpiresAt
          ? `New key in use. The previous key also signs webhook-signature until ${dateTime(updated.previousSigningKeyExpiresAt)}.`
          : 'New key in use. The previous key no longer signs anything.',
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      setConfirm(false);
    }
  }

  return (
    <div className="signing-key">
      <h2>Signing key</h2>
      <p id="key-help">
        Every request carries <code>logto-signature-sha-256</code>, the hex HMAC-SHA256 of the raw body with this key,
        and the Standard Webhooks headers <code>webhook-id</code>, <code>webhook-timestamp</code> and{' '}
        <code>webhook-signature</code>, signed with the same key in its <code>whsec_</code> form.
      </p>
      <KeyField key={`a-${hook.signingKey}`} label="Signing key" value={hook.signingKey} describedBy="key-help" />
      <KeyField
        key={`b-${hook.standardSigningKey}`}
        label="Standard Webhooks secret (whsec_)"
        value={hook.standardSigningKey}
        describedBy="key-help"
      />
      {hook.previousSigningKeyExpiresAt && hook.previousSigningKeyExpiresAt > Date.now() && (
        <p>The previous key also signs webhook-signature until {dateTime(hook.previousSigningKeyExpiresAt)}.</p>
      )}

      <h3>Regenerate</h3>
      <div className="field">
        <label htmlFor="grace">Grace period for the previous key</label>
        <select id="grace" value={grace} onChange={(e) => setGrace(Number(e.target.value))}>
          {GRACE_PERIODS.map(([seconds, label]) => (
            <option key={seconds} value={seconds}>
              {label}
            </option>
          ))}
        </select>
        <span className="hint">
          During the grace period webhook-signature carries signatures by both keys, so receivers can switch keys
          without failing.
        </span>
      </div>
      <button type="button" onClick={() => setConfirm(true)} disabled={busy}>
        Regenerate signing key
      </button>
      <ErrorMessage error={error} />
      <Notice text={notice} />

      <Snippets />

      <ConfirmDialog
        open={confirm}
        title="Regenerate the signing key?"
        confirmLabel="Regenerate"
        busy={busy}
        onConfirm={rotate}
        onCancel={() => setConfirm(false)}
      >
        <p>
          {grace > 0
            ? `The new key signs from now on; the previous key keeps signing webhook-signature for ${GRACE_PERIODS.find(([s]) => s === grace)?.[1]}.`
            : 'The new key replaces the old at once: receivers that still check the old key will reject requests until they have the new one.'}
        </p>
      </ConfirmDialog>
    </div>
  );
}
