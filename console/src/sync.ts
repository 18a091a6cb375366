/**
 * Words for synchronous hooks, shared by their pages. The limits repeat src/sync-hooks/schemas.ts
 * (a module the console may only borrow types from: it imports TypeBox).
 */
import type { FailurePolicy, SyncDecision, SyncHookCall, SyncHookPhase } from '../../src/sync-hooks/schemas.ts';

export const DEFAULT_TIMEOUT_MS = 2000;
export const MAX_TIMEOUT_MS = 10_000;
export const ORDER_LIMIT = 1_000_000;

export const PHASES: { value: SyncHookPhase; label: string; description: string }[] = [
  {
    value: 'PreRegister',
    label: 'Before registration',
    description: 'The sign-up profile is complete; the user is not created yet (also POST /api/users).',
  },
  {
    value: 'PreSignIn',
    label: 'Before sign-in',
    description: 'The credentials are verified and the user identified; the sign-in is not submitted yet.',
  },
  {
    value: 'PrePasswordReset',
    label: 'Before password reset',
    description: 'The user proved who they are; the new password is not stored yet.',
  },
];

export const POLICIES: { value: FailurePolicy; label: string; short: string; description: string }[] = [
  {
    value: 'open',
    label: 'Fail open',
    short: 'Allow',
    description:
      'When the endpoint fails (timeout, error, an answer Herald cannot read), the request goes ahead; the failure is logged.',
  },
  {
    value: 'closed',
    label: 'Fail closed',
    short: 'Deny',
    description:
      'When the endpoint fails, the request is refused with 503 hook.sync_unavailable. Choose it when letting a request through unchecked is worse than refusing it.',
  },
];

export const phaseLabel = (phase: SyncHookPhase): string => PHASES.find((p) => p.value === phase)?.label ?? phase;

export const DECISION_WORDS: Record<SyncDecision, string> = { allow: 'Allow', deny: 'Deny', failed: 'Failed' };
export const EFFECT_WORDS: Record<SyncHookCall['effect'], string> = { allowed: 'Allowed', denied: 'Denied' };

/** "Fail open (allow)", "Fail closed (deny)". */
export function policyWords(policy: FailurePolicy): string {
  const p = POLICIES.find((x) => x.value === policy);
  return p ? `${p.label} (${p.short.toLowerCase()})` : policy;
}
