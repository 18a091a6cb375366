/**
 * Logto's Experience API routes (`/api/experience`), public (no API key): the interaction cookie
 * set by `PUT /api/experience` carries the state from step to step.
 */
import { Type } from 'typebox';
import type { App } from '../http/types.ts';
import { errorRef } from '../http/schemas.ts';
import type { CookieSigner } from './cookie.ts';
import { INTERACTION_EVENTS, INTERACTION_TTL_MS } from './interactions.ts';
import { requestInfo, USERNAME_PATTERN, type ExperienceService } from './service.ts';

const tags = ['Experience'];
const config = { public: true };
const errors = {
  400: errorRef,
  401: errorRef,
  404: errorRef,
  409: errorRef,
  422: errorRef,
  429: errorRef,
  501: errorRef,
};
/** Where synchronous hooks run: 403 `hook.denied`, 503 `hook.sync_unavailable`. */
const gated = { ...errors, 403: errorRef, 503: errorRef };
const noContent = Type.Null({ description: 'No content.' });
const username = Type.Object({ type: Type.Literal('username'), value: Type.String({ minLength: 1, maxLength: 128 }) });
const email = Type.Object({
  type: Type.Literal('email'),
  value: Type.String({ pattern: '^\\S+@\\S+\\.\\S+$', maxLength: 128 }),
});
const phone = Type.Object({ type: Type.Literal('phone'), value: Type.String({ pattern: '^\\d{1,32}$' }) });
const Identifier = Type.Union([username, email, phone]);
const CodeIdentifier = Type.Union([email, phone]);
const VerificationAnswer = Type.Object({ verificationId: Type.String() });
const password = Type.String({ minLength: 1, maxLength: 256 });
const verificationId = Type.String({ minLength: 1, maxLength: 64 });

/**
 * Every route here is also behind the per-client request limit (HERALD_PUBLIC_RATE_LIMIT: 429
 * `request.rate_limited`), registered with them in experience/index.ts.
 */
export function registerExperienceRoutes(
  app: App,
  deps: { experience: ExperienceService; cookies: CookieSigner },
): void {
  const { experience, cookies } = deps;
  const load = (request: Parameters<CookieSigner['read']>[0]) => experience.load(cookies.read(request));

  app.put(
    '/api/experience',
    {
      config,
      schema: {
        summary: 'Start an interaction',
        description:
          'SignIn, Register or ForgotPassword, optionally for an application. Sets the interaction cookie (signed, httpOnly); any earlier interaction of this browser is replaced.',
        tags,
        body: Type.Object({
          interactionEvent: Type.Enum(INTERACTION_EVENTS),
          applicationId: Type.Optional(Type.String({ minLength: 1, maxLength: 21 })),
        }),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      const interaction = await experience.start(
        request.body.interactionEvent,
        request.body.applicationId,
        cookies.read(request),
      );
      cookies.set(request, reply, interaction.id, INTERACTION_TTL_MS / 1000);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/experience/verification/password',
    {
      config,
      schema: {
        summary: 'Verify a password',
        description:
          'Unknown identifier and wrong password answer alike: 422 `session.invalid_credentials`. A suspended user with the right password: 401 `user.suspended`. Failures count towards the lockout of the identifier (in canonical form) and of the account it names (400 `session.verification_blocked_too_many_attempts`; `Identifier.Lockout` once per lock).',
        tags,
        body: Type.Object({ identifier: Identifier, password }),
        response: { 200: VerificationAnswer, ...errors },
      },
    },
    async (request) => {
      const interaction = await load(request);
      return {
        verificationId: await experience.verifyPassword(
          interaction,
          requestInfo(request),
          request.body.identifier,
          request.body.password,
        ),
      };
    },
  );

  app.post(
    '/api/experience/verification/new-password-identity',
    {
      config,
      schema: {
        summary: 'Verify a new username and password (sign-up)',
        description:
          "Logto's sign-up with a username and a password: the username must be free (422 `user.username_already_in_use`) and the password within the policy (422 `password.rejected` with Logto's `issues`). Then `POST /api/experience/identification {verificationId}` creates the user.",
        tags,
        body: Type.Object({
          identifier: Type.Object({
            type: Type.Literal('username'),
            value: Type.String({ pattern: USERNAME_PATTERN.source, maxLength: 128 }),
          }),
          password,
        }),
        response: { 200: VerificationAnswer, ...errors },
      },
    },
    async (request) => {
      const interaction = await load(request);
      return {
        verificationId: await experience.newPasswordIdentity(
          interaction,
          request.body.identifier,
          request.body.password,
        ),
      };
    },
  );

  app.post(
    '/api/experience/verification/verification-code',
    {
      config,
      schema: {
        summary: 'Send a verification code',
        description:
          'A 6-digit code, valid 10 minutes, single use, sent through the message connector after the answer (501 `connector.not_found` without one; a failed send is logged), to the address stored on the user the identifier names (never the spelling typed). At most HERALD_MESSAGE_RATE_LIMIT per mailbox (`+tags` folded), HERALD_MESSAGE_IP_RATE_LIMIT per client and HERALD_MESSAGE_GLOBAL_RATE_LIMIT in all within the window: then 429 `request.message_rate_limited`, and `Message.RateLimited` for the first refusal of each. A password reset for an address no user holds answers the same and sends nothing.',
        tags,
        body: Type.Object({ identifier: CodeIdentifier, interactionEvent: Type.Enum(INTERACTION_EVENTS) }),
        response: { 200: VerificationAnswer, ...errors },
      },
    },
    async (request) => {
      const interaction = await load(request);
      return {
        verificationId: await experience.sendCode(
          interaction,
          requestInfo(request),
          request.body.identifier,
          request.body.interactionEvent,
        ),
      };
    },
  );

  app.post(
    '/api/experience/verification/verification-code/verify',
    {
      config,
      schema: {
        summary: 'Verify a code',
        description:
          '400 `verification_code.code_mismatch`, `.expired`, `.exceed_max_try` (10 tries), `.not_found` (used already), `.email_mismatch`/`.phone_mismatch`; failures count towards the lockout.',
        tags,
        body: Type.Object({
          identifier: CodeIdentifier,
          verificationId,
          code: Type.String({ minLength: 1, maxLength: 16 }),
        }),
        response: { 200: VerificationAnswer, ...errors },
      },
    },
    async (request) => {
      const interaction = await load(request);
      const { identifier, code } = request.body;
      return {
        verificationId: await experience.verifyCode(
          interaction,
          requestInfo(request),
          identifier,
          request.body.verificationId,
          code,
        ),
      };
    },
  );

  app.post(
    '/api/experience/identification',
    {
      config,
      schema: {
        summary: 'Identify the user (or create them)',
        description:
          'Register: creates the user from the profile (and the verified code of `verificationId`), emits `User.Created`, 201; synchronous hooks of phase PreRegister are called first (403 `hook.denied` with the endpoint’s message and `data.hookCode`, 503 `hook.sync_unavailable`; a patch lands on the user created). SignIn/ForgotPassword: the verified record of `verificationId` names the user, 204 (404 `user.user_not_exist`, 401 `user.suspended`).',
        tags,
        body: Type.Object({ verificationId: Type.Optional(verificationId) }),
        response: { 201: noContent, 204: noContent, ...gated },
      },
    },
    async (request, reply) => {
      const interaction = await load(request);
      if (interaction.event === 'Register') {
        await experience.createUser(interaction, requestInfo(request), request.body.verificationId);
        return reply.status(201).send(null);
      }
      if (!request.body.verificationId) {
        return reply.status(400).send({
          code: 'guard.invalid_input',
          message: 'The request body is invalid.',
          details: 'verificationId is missing',
          data: { field: 'body.verificationId' },
        });
      }
      await experience.identify(interaction, request.body.verificationId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/experience/profile',
    {
      config,
      schema: {
        summary: 'Add to the profile',
        description:
          'Register (and SignIn, once identified): `{type: "username", value}`, `{type: "password", value}` (policy: 422 `password.rejected`), `{type: "email" | "phone", verificationId}` of a verified code. Not for ForgotPassword.',
        tags,
        body: Type.Object({
          type: Type.Enum(['username', 'password', 'email', 'phone'] as const),
          value: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
          verificationId: Type.Optional(verificationId),
        }),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      const interaction = await load(request);
      await experience.addProfile(interaction, request.body);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/experience/profile/password',
    {
      config,
      schema: {
        summary: 'Set the new password (ForgotPassword)',
        description:
          'After identification; the policy applies, and the old password is refused (422 `user.same_password`).',
        tags,
        body: Type.Object({ password }),
        response: { 204: noContent, ...errors },
      },
    },
    async (request, reply) => {
      const interaction = await load(request);
      await experience.setNewPassword(interaction, request.body.password);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/experience/submit',
    {
      config,
      schema: {
        summary: 'Finish the interaction',
        description:
          'Emits `PostSignIn`, `PostRegister` or `PostResetPassword` (with `User.Data.Updated` when the profile changed, always for a reset); sets `lastSignInAt` on sign-in and sign-up. Ends the interaction. Synchronous hooks of phase PreSignIn / PrePasswordReset are called first: 403 `hook.denied`, 503 `hook.sync_unavailable`, or a patch applied with the change.',
        tags,
        response: { 200: Type.Object({ userId: Type.String(), sessionId: Type.String() }), ...gated },
      },
    },
    async (request, reply) => {
      const interaction = await load(request);
      const result = await experience.submit(interaction, requestInfo(request));
      cookies.clear(request, reply);
      return result;
    },
  );
}
