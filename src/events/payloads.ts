/**
 * Payload builders. Shapes follow Logto's (packages/core/src/libraries/hook): `event` and
 * `createdAt` (ISO 8601) first, the event's context next; each delivery appends `hookId` last.
 */
import { maskJsonValue, viewJsonText } from '../util/json-text.ts';
import { catalogEntry, type CatalogEventName, type HookEvent } from './catalog.ts';

export type Payload = Record<string, unknown> & { event: HookEvent; createdAt: string };

/**
 * The body of one delivery: the stored payload with `hookId` appended, as Logto's `{...payload, hookId}`.
 * Works on the stored JSON text, so the bytes signed are exactly the bytes sent.
 */
export function deliveryBody(payloadJson: string, hookId: string): string {
  const head = payloadJson.trimEnd().slice(0, -1).trimEnd();
  const separator = head.endsWith('{') ? '' : ',';
  return `${head}${separator}"hookId":${JSON.stringify(hookId)}}`;
}

/** Keys whose values never appear in the logs API: exactly as Logto's `password`/`secret`, plus the token kinds. */
export const SENSITIVE_KEY = /password|secret|token|api[-_]?key|authorization|signing[-_]?key/i;
export const MASK = '******';

/** A deep copy of `value` with the values of sensitive keys replaced by `******`; iterative, so any depth is safe. */
export function maskSensitive(value: unknown): unknown {
  return maskJsonValue(value, SENSITIVE_KEY, MASK);
}

/**
 * A stored payload (JSON text) as the API shows it: parsed with sensitive values masked, or, when it
 * nests deeper than any client should have to parse, its text with the same values masked in place.
 */
export function viewPayload(payloadJson: string): unknown {
  return viewJsonText(payloadJson, SENSITIVE_KEY, MASK);
}

/**
 * The fake payload Logto's `/test` route sends per event: interaction events carry a fake user,
 * session and application; data and exception events a generic management-API context.
 */
export function testPayload(event: CatalogEventName, hookId: string, now: Date = new Date()): Record<string, unknown> {
  const basic = { event, hookId, createdAt: now.toISOString(), userAgent: 'fake-user-agent' };
  if (catalogEntry(event).category === 'interaction') {
    const ms = now.getTime();
    return {
      ...basic,
      sessionId: 'fake-session-id',
      userIp: 'fake-user-ip',
      userId: 'fake-id',
      user: {
        id: 'fake-id',
        username: 'fake-user',
        primaryEmail: 'fake-user@fake-service.com',
        primaryPhone: '1234567890',
        name: 'Fake User',
        avatar: 'https://fake-service.com/avatars/fake-user.png',
        customData: { theme: 'light' },
        identities: { google: { userId: 'fake-google-user-id' } },
        profile: {},
        applicationId: 'fake-application-id',
        cimdClientId: null,
        isSuspended: false,
        lastSignInAt: ms,
        createdAt: ms,
        updatedAt: ms,
      },
      application: {
        id: 'fake-spa-application-id',
        type: 'SPA',
        name: 'Fake Application',
        description: 'Fake application data for testing',
      },
    };
  }
  return {
    ...basic,
    path: '/fake-path/:id',
    method: 'POST',
    status: 200,
    params: { id: 'fake-id' },
    data: { result: 'success' },
  };
}
