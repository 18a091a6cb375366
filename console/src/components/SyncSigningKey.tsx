import { useState } from 'react';
import { errorText, type Api } from '../api';
import type { SyncHook } from '../../../src/sync-hooks/schemas.ts';
import { KeyField } from './SigningKey';
import { ConfirmDialog, ErrorMessage, Notice } from './ui';

export const SYNC_SNIPPET = `import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

// This sync hook's signing key, from Herald's console (keep it out of your code).
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
    const { phase, user } = JSON.parse(rawBody.toString('utf8'));
    // Answer at once: the user waits. Allow, allow with a patch, or deny with a code and message.
    const answer =
      phase === 'PreRegister' && String(user.primaryEmail ?? '').endsWith('@blocked.example')
        ? { action: 'deny', code: 'blocked_domain', message: 'Sign-ups from this domain are closed.' }
        : { action: 'allow' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
}).listen(process.env.PORT ?? 3000);
`;

export function SyncSigningKey({
  api,
  hook,
  onRotated,
}: {
  api: Api;
  hook: SyncHook;
  onRotated: (hook: SyncHook) => void;
}) {
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  async function rotate() {
    setBusy(true);
    setError(undefined);
    try {
      onRotated(await api.send<SyncHook>('PATCH', `/api/sync-hooks/${hook.id}/signing-key`));
      setNotice('New key in use: it signs the next call. The previous key no longer signs anything.');
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
      <p id="sync-key-help">
        Every call carries <code>logto-signature-sha-256</code>, the hex HMAC-SHA256 of the raw body with this key, and
        the Standard Webhooks headers <code>webhook-id</code>, <code>webhook-timestamp</code> and{' '}
        <code>webhook-signature</code>, signed with the same key in its <code>whsec_</code> form. Your endpoint should
        refuse a call whose signature does not match.
      </p>
      <KeyField key={`a-${hook.signingKey}`} label="Signing key" value={hook.signingKey} describedBy="sync-key-help" />
      <KeyField
        key={`b-${hook.standardSigningKey}`}
        label="Standard Webhooks secret (whsec_)"
        value={hook.standardSigningKey}
        describedBy="sync-key-help"
      />

      <h3>Regenerate</h3>
      <p className="hint">
        The new key signs the next call at once; there is no grace period. Update the endpoint's key right after.
      </p>
      <button type="button" onClick={() => setConfirm(true)} disabled={busy}>
        Regenerate signing key
      </button>
      <ErrorMessage error={error} />
      <Notice text={notice} />

      <h3>Verify the signature and answer, in Node.js</h3>
      <pre className="snippet" tabIndex={0} aria-label="Node.js example of a sync hook endpoint">
        {SYNC_SNIPPET}
      </pre>

      <ConfirmDialog
        open={confirm}
        title="Regenerate the signing key?"
        confirmLabel="Regenerate"
        busy={busy}
        onConfirm={rotate}
        onCancel={() => setConfirm(false)}
      >
        <p>
          The new key replaces the old at once. An endpoint that still checks the old key will refuse the calls, and the
          hook's failure policy (
          {hook.failurePolicy === 'closed' ? 'closed: requests are denied' : 'open: requests go ahead'}) applies until
          it has the new one.
        </p>
      </ConfirmDialog>
    </div>
  );
}
