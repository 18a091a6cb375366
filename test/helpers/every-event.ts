/**
 * Makes a real Herald deliver every event it emits. Called inside a describe(), useEveryEvent
 * starts a server on `store` (useServer) with one hook subscribed to every event a hook may take
 * and a real receiver, plus an endpoint for the synchronous hooks the flows need. `produce()`
 * drives the Management API, the Experience API and synchronous hooks through every route and flow
 * that emits an event; `deliveries()` waits until each delivery Herald recorded for the hook has
 * reached the receiver and returns them.
 *
 * Shared by test/events.schemas.test.ts (which validates these deliveries
 * against src/events/schemas.ts directly); test/openapi.webhooks.test.ts validates them against
 * the served OpenAPI document.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before } from 'node:test';
import { HOOK_EVENTS } from '../../src/events/index.ts';
import { interactionBrowser } from './interaction-browser.ts';
import { startReceiver, type Received, type Receiver } from './receiver.ts';
import { eventually } from './server.ts';
import { useServer, type ServerContext } from './setup.ts';
import type { StoreName } from './stores.ts';

type Answer = (req: Received, res: ServerResponse) => void;
const answerJson =
  (body: unknown, status = 200): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

/** A flow `produce()` ran, and how to recognise one of its deliveries. */
export interface Flow {
  what: string;
  matches: (body: Record<string, any>) => boolean;
}

export interface EveryEvent {
  readonly ctx: ServerContext;
  /** The flows produce() ran (filled in as it runs). */
  readonly flows: readonly Flow[];
  produce(): Promise<void>;
  /** Every delivery the hook got, once all Herald recorded have arrived (each once). */
  deliveries(timeoutMs?: number): Promise<Received[]>;
}

export function useEveryEvent(store: StoreName): EveryEvent {
  const ctx = useServer(store, {
    env: { HERALD_LOCKOUT_MAX_ATTEMPTS: '3', HERALD_MESSAGE_RATE_LIMIT: '2' },
    receiver: true,
    mail: true,
    hook: { name: 'every event', events: HOOK_EVENTS },
  });
  /** The synchronous hooks' endpoint: one server, an answer per path. */
  let endpoint: Receiver;
  const answers = new Map<string, Answer>();
  before(async () => {
    endpoint = await startReceiver((req, res) => {
      const answer = answers.get(req.path);
      if (answer) answer(req, res);
      else answerJson({ error: `no answer for ${req.path}` }, 500)(req, res);
    });
  });
  after(() => endpoint?.close());

  const flows: Flow[] = [];

  const browser = (userAgent = 'every-event-helper/1.0') => interactionBrowser(ctx.t, { 'user-agent': userAgent });
  async function call(method: string, path: string, body?: unknown, status = 200) {
    const res = await ctx.t.request(method, path, body === undefined ? {} : { body });
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    return res.json;
  }
  async function syncHook(path: string, answer: Answer, body: Record<string, unknown>) {
    answers.set(path, answer);
    const origin = endpoint.url.replace(/\/hook$/, '');
    return (await call('POST', '/api/sync-hooks', { name: path, config: { url: `${origin}${path}` }, ...body }, 201))
      .id as string;
  }
  async function step(b: ReturnType<typeof browser>, method: string, path: string, body: unknown, status: number) {
    const res = await b.call(method, path, body);
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.json)}`);
    return res.json;
  }
  async function register(username: string, applicationId?: string) {
    const b = browser();
    await step(b, 'PUT', '/api/experience', { interactionEvent: 'Register', applicationId }, 204);
    await step(b, 'POST', '/api/experience/profile', { type: 'username', value: username }, 204);
    await step(b, 'POST', '/api/experience/profile', { type: 'password', value: 'a-long-password-1' }, 204);
    return b;
  }
  async function signIn(username: string, applicationId?: string) {
    const b = browser('Mozilla/5.0 (every-event-helper)');
    await step(b, 'PUT', '/api/experience', { interactionEvent: 'SignIn', applicationId }, 204);
    const verified = await step(
      b,
      'POST',
      '/api/experience/verification/password',
      { identifier: { type: 'username', value: username }, password: 'a-long-password-1' },
      200,
    );
    await step(b, 'POST', '/api/experience/identification', { verificationId: verified.verificationId }, 204);
    return step(b, 'POST', '/api/experience/submit', undefined, 200);
  }
  async function codeFor(email: string) {
    const [message] = (await ctx.mail.waitFor((rs) => rs.some((r) => r.json?.to === email))).filter(
      (r) => r.json?.to === email,
    );
    return message!.json.payload.code as string;
  }

  async function produce(): Promise<void> {
    // Users.
    const ada = await call('POST', '/api/users', {
      username: 'schema_ada',
      primaryEmail: 'ada@example.com',
      password: 'initial-password-1',
      name: 'Ada',
    });
    await call('PATCH', `/api/users/${ada.id}`, { name: 'Ada L.', customData: { plan: 'pro' } });
    await call('PATCH', `/api/users/${ada.id}/custom-data`, { customData: { seats: 5 } });
    await call('PATCH', `/api/users/${ada.id}/profile`, { profile: { nickname: 'ada', address: { country: 'UK' } } });
    await call('PATCH', `/api/users/${ada.id}/password`, { password: 'another-password-2' });
    await call('PATCH', `/api/users/${ada.id}/is-suspended`, { isSuspended: true });
    await call('PATCH', `/api/users/${ada.id}/is-suspended`, { isSuspended: false });
    const grace = await call('POST', '/api/users', { username: 'schema_grace' });
    const doomed = await call('POST', '/api/users', { primaryEmail: 'doomed@example.com' });
    await call('DELETE', `/api/users/${doomed.id}`, undefined, 204);

    // API resources, permissions, roles, and users' roles.
    const resource = await call(
      'POST',
      '/api/resources',
      { name: 'Articles', indicator: 'https://api.example.com/articles' },
      201,
    );
    const scopes = `/api/resources/${resource.id}/scopes`;
    const read = await call('POST', scopes, { name: 'read:articles', description: 'Read articles' }, 201);
    const write = await call('POST', scopes, { name: 'write:articles' }, 201);
    const gone = await call('POST', scopes, { name: 'delete:articles' }, 201);
    await call('PATCH', `${scopes}/${read.id}`, { description: 'Read every article' });
    await call('DELETE', `${scopes}/${gone.id}`, undefined, 204);
    const editor = await call('POST', '/api/roles', { name: 'editor', description: 'Edits' });
    const reviewer = await call('POST', '/api/roles', {
      name: 'reviewer',
      description: 'Reviews',
      scopeIds: [read.id],
    });
    await call('PATCH', `/api/roles/${editor.id}`, { description: 'Edits articles', isDefault: false });
    await call('POST', `/api/roles/${editor.id}/scopes`, { scopeIds: [write.id] }, 201);
    await call('DELETE', `/api/roles/${editor.id}/scopes/${write.id}`, undefined, 204);
    await call('POST', `/api/users/${ada.id}/roles`, { roleIds: [editor.id] }, 201);
    await call('PUT', `/api/users/${ada.id}/roles`, { roleIds: [reviewer.id] });
    await call('DELETE', `/api/users/${ada.id}/roles/${reviewer.id}`, undefined, 204);
    await call('POST', `/api/roles/${editor.id}/users`, { userIds: [ada.id, grace.id] }, 201);
    await call('DELETE', `/api/roles/${editor.id}/users/${grace.id}`, undefined, 204);
    const temporary = await call('POST', '/api/roles', { name: 'temporary', description: 'Temporary' });
    await call('DELETE', `/api/roles/${temporary.id}`, undefined, 204);

    // Organizations, their permissions, roles, members and invitations.
    const org = await call(
      'POST',
      '/api/organizations',
      { name: 'Acme', description: 'Acme Corp', customData: { tier: 'gold' } },
      201,
    );
    await call('PATCH', `/api/organizations/${org.id}`, { isMfaRequired: true, color: { primaryColor: '#336699' } });
    const invite = await call('POST', '/api/organization-scopes', { name: 'invite:members', description: 'd' }, 201);
    const remove = await call('POST', '/api/organization-scopes', { name: 'remove:members' }, 201);
    await call('PATCH', `/api/organization-scopes/${invite.id}`, { description: 'Invite members' });
    const admin = await call('POST', '/api/organization-roles', { name: 'admin', description: 'Admin' }, 201);
    const member = await call(
      'POST',
      '/api/organization-roles',
      { name: 'member', organizationScopeIds: [invite.id] },
      201,
    );
    await call('PATCH', `/api/organization-roles/${admin.id}`, { description: 'Administers' });
    await call('POST', `/api/organization-roles/${admin.id}/scopes`, { organizationScopeIds: [invite.id] }, 201);
    await call(
      'PUT',
      `/api/organization-roles/${admin.id}/scopes`,
      { organizationScopeIds: [invite.id, remove.id] },
      204,
    );
    await call('DELETE', `/api/organization-roles/${admin.id}/scopes/${remove.id}`, undefined, 204);
    const users = `/api/organizations/${org.id}/users`;
    await call('POST', users, { userIds: [ada.id] }, 201);
    await call('PUT', users, { userIds: [ada.id, grace.id] }, 204);
    await call('POST', `${users}/${ada.id}/roles`, { organizationRoleIds: [admin.id] }, 201);
    await call('PUT', `${users}/${ada.id}/roles`, { organizationRoleIds: [member.id] }, 204);
    await call('DELETE', `${users}/${ada.id}/roles/${member.id}`, undefined, 204);
    await call('POST', `${users}/roles`, { userIds: [ada.id, grace.id], organizationRoleIds: [admin.id] }, 201);
    await call('DELETE', `${users}/${grace.id}`, undefined, 204);
    const backend = await call('POST', '/api/applications', { name: 'Backend', type: 'MachineToMachine' });
    const apps = `/api/organizations/${org.id}/applications`;
    await call('POST', apps, { applicationIds: [backend.id] }, 201);
    await call('PUT', apps, { applicationIds: [backend.id] }, 204);
    await call('DELETE', `${apps}/${backend.id}`, undefined, 204);
    const invitee = await call('POST', '/api/users', {
      username: 'schema_invitee',
      primaryEmail: 'invitee@example.com',
    });
    const invitation = await call(
      'POST',
      '/api/organization-invitations',
      {
        invitee: 'invitee@example.com',
        organizationId: org.id,
        expiresAt: Date.now() + 3_600_000,
        organizationRoleIds: [member.id],
      },
      201,
    );
    await call('PUT', `/api/organization-invitations/${invitation.id}/status`, {
      status: 'Accepted',
      acceptedUserId: invitee.id,
    });
    await call('DELETE', `/api/organization-roles/${member.id}`, undefined, 204);
    await call('DELETE', `/api/organization-scopes/${remove.id}`, undefined, 204);
    const closing = await call('POST', '/api/organizations', { name: 'Closing' }, 201);
    await call('DELETE', `/api/organizations/${closing.id}`, undefined, 204);

    // The Experience API: sign-up (User.Created, PostRegister) through an application.
    const portal = await call('POST', '/api/applications', {
      name: 'Portal',
      type: 'SPA',
      description: 'the portal',
    });
    const signUp = await register('schema_lin', portal.id);
    await step(signUp, 'POST', '/api/experience/identification', {}, 201);
    await step(signUp, 'POST', '/api/experience/submit', undefined, 200);
    flows.push({
      what: 'User.Created from an Experience API registration, with its application',
      matches: (b) =>
        b.event === 'User.Created' && b.interactionEvent === 'Register' && b.application?.id === portal.id,
    });
    await signIn('schema_lin');
    flows.push({
      what: 'PostSignIn without an application',
      matches: (b) => b.event === 'PostSignIn' && b.user?.username === 'schema_lin' && !('application' in b),
    });

    // Sign-in with a PreSignIn hook that patches (User.Data.Updated from the flow) and one that fails.
    const patcher = await syncHook('/patch', answerJson({ action: 'allow', patch: { customData: { risk: 'low' } } }), {
      phase: 'PreSignIn',
      order: 1,
    });
    const broken = await syncHook('/broken', answerJson({ oops: true }, 500), { phase: 'PreSignIn', order: 2 });
    await signIn('schema_lin', portal.id);
    await call('DELETE', `/api/sync-hooks/${patcher}`, undefined, 204);
    await call('DELETE', `/api/sync-hooks/${broken}`, undefined, 204);
    flows.push(
      {
        what: 'User.Data.Updated from a sign-in that changed the user',
        matches: (b) => b.event === 'User.Data.Updated' && b.interactionEvent === 'SignIn',
      },
      {
        what: 'SyncHook.Failed at PreSignIn with the endpoint status',
        matches: (b) => b.event === 'SyncHook.Failed' && b.phase === 'PreSignIn' && b.statusCode === 500,
      },
    );

    // Password reset through a code (PostResetPassword, User.Data.Updated) with a PrePasswordReset hook
    // whose answer is not JSON (SyncHook.Failed, allowed).
    const garbled = await syncHook('/garbled', answerJson('not json'), { phase: 'PrePasswordReset' });
    const reset = browser();
    await step(reset, 'PUT', '/api/experience', { interactionEvent: 'ForgotPassword' }, 204);
    const sent = await step(
      reset,
      'POST',
      '/api/experience/verification/verification-code',
      { identifier: { type: 'email', value: 'ada@example.com' }, interactionEvent: 'ForgotPassword' },
      200,
    );
    await step(
      reset,
      'POST',
      '/api/experience/verification/verification-code/verify',
      {
        identifier: { type: 'email', value: 'ada@example.com' },
        verificationId: sent.verificationId,
        code: await codeFor('ada@example.com'),
      },
      200,
    );
    await step(reset, 'POST', '/api/experience/identification', { verificationId: sent.verificationId }, 204);
    await step(reset, 'PUT', '/api/experience/profile/password', { password: 'brand-new-password-3' }, 204);
    await step(reset, 'POST', '/api/experience/submit', undefined, 200);
    await call('DELETE', `/api/sync-hooks/${garbled}`, undefined, 204);
    flows.push(
      {
        what: 'User.Data.Updated from a password reset',
        matches: (b) => b.event === 'User.Data.Updated' && b.interactionEvent === 'ForgotPassword',
      },
      {
        what: 'SyncHook.Failed at PrePasswordReset',
        matches: (b) => b.event === 'SyncHook.Failed' && b.phase === 'PrePasswordReset' && b.outcome === 'allowed',
      },
    );

    // A PreRegister hook that denies: POST /api/users and an Experience API registration (SyncHook.Denied).
    const denier = await syncHook('/deny', answerJson({ action: 'deny', code: 'closed_beta' }), {
      phase: 'PreRegister',
    });
    await call('POST', '/api/users', { username: 'schema_denied' }, 403);
    const deniedSignUp = await register('schema_denied_too', portal.id);
    await step(deniedSignUp, 'POST', '/api/experience/identification', {}, 403);
    await call('DELETE', `/api/sync-hooks/${denier}`, undefined, 204);
    flows.push(
      {
        what: 'SyncHook.Denied from POST /api/users (no interaction)',
        matches: (b) => b.event === 'SyncHook.Denied' && b.interactionEvent === null && b.sessionId === null,
      },
      {
        what: 'SyncHook.Denied from an Experience API registration',
        matches: (b) =>
          b.event === 'SyncHook.Denied' && b.interactionEvent === 'Register' && b.user?.createdAt === null,
      },
    );

    // Identifier.Lockout: three wrong passwords, and three wrong codes (HERALD_LOCKOUT_MAX_ATTEMPTS=3).
    const guesser = browser();
    await step(guesser, 'PUT', '/api/experience', { interactionEvent: 'SignIn', applicationId: portal.id }, 204);
    for (const [i, status] of [422, 422, 400].entries())
      await step(
        guesser,
        'POST',
        '/api/experience/verification/password',
        { identifier: { type: 'username', value: 'schema_lin' }, password: `wrong-password-${i}` },
        status,
      );
    const coder = browser();
    await step(coder, 'PUT', '/api/experience', { interactionEvent: 'Register' }, 204);
    const codeSent = await step(
      coder,
      'POST',
      '/api/experience/verification/verification-code',
      { identifier: { type: 'email', value: 'guess@example.com' }, interactionEvent: 'Register' },
      200,
    );
    const code = await codeFor('guess@example.com');
    for (const status of [400, 400, 400])
      await step(
        coder,
        'POST',
        '/api/experience/verification/verification-code/verify',
        {
          identifier: { type: 'email', value: 'guess@example.com' },
          verificationId: codeSent.verificationId,
          code: code === '000000' ? '111111' : '000000',
        },
        status,
      );
    flows.push(
      {
        what: 'Identifier.Lockout of a username, with the application',
        matches: (b) => b.event === 'Identifier.Lockout' && b.type === 'username' && b.application?.id === portal.id,
      },
      {
        what: 'Identifier.Lockout of an email through wrong codes',
        matches: (b) => b.event === 'Identifier.Lockout' && b.type === 'email' && b.applicationId === '',
      },
    );

    // Message.RateLimited: the third code to one address (HERALD_MESSAGE_RATE_LIMIT=2).
    const sender = browser();
    await step(sender, 'PUT', '/api/experience', { interactionEvent: 'Register' }, 204);
    for (const status of [200, 200, 429])
      await step(
        sender,
        'POST',
        '/api/experience/verification/verification-code',
        { identifier: { type: 'email', value: 'busy@example.com' }, interactionEvent: 'Register' },
        status,
      );
  }

  async function deliveries(timeoutMs = 30_000): Promise<Received[]> {
    const { db } = ctx.t.server.database;
    const expected = await eventually(async () => {
      const row = await db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('hook_id', '=', ctx.hook.id)
        .executeTakeFirstOrThrow();
      const n = Number(row.n);
      return ctx.receiver.requests.length >= n ? n : undefined;
    }, timeoutMs);
    assert.equal(ctx.receiver.requests.length, expected, 'each delivery once');
    return [...ctx.receiver.requests];
  }

  return { ctx, flows, produce, deliveries };
}
