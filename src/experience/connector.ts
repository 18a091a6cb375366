/**
 * Where verification codes and organization invitations go. `log` (development) writes the code
 * (or the invitation link) to the server log; an HTTP(S) URL gets Logto's HTTP connector request,
 * `POST {to, type, payload, ip?}` (`payload: {code}` for a verification code, the invitation's
 * template context and the caller's payload for `OrganizationInvitation`) with the configured
 * `Authorization`, through the outbound sender (src/outbound: the SSRF guard, no redirects);
 * none configured → 501 `connector.not_found`.
 */
import type { Logger } from 'pino';
import type { MessageConnectorConfig } from '../config.ts';
import { HeraldError } from '../http/errors.ts';
import type { Sender } from '../outbound/index.ts';

export type TemplateType = 'SignIn' | 'Register' | 'ForgotPassword' | 'OrganizationInvitation';
export interface Message {
  to: string;
  type: TemplateType;
  /** `{code}` for a verification code; Logto's send-message payload (`link`, `code`, `locale`, …) and template context otherwise. */
  payload: { code?: string | undefined; [key: string]: unknown };
  ip?: string | undefined;
}

const SEND_TIMEOUT_MS = 10_000;

export function createMessageConnector(options: {
  config: MessageConnectorConfig | undefined;
  authorization: string | undefined;
  sender: Sender;
  log: Logger;
}) {
  const log = options.log.child({ module: 'connector' });
  const config = options.config;
  return {
    /** Whether a connector is configured. */
    configured: config !== undefined,
    /** 501 `connector.not_found` unless a connector is configured. */
    assertConfigured(): void {
      if (!config)
        throw new HeraldError('connector.not_found', {
          message: 'Cannot find any available connector for type: Email/Sms.',
          data: { type: 'Email' },
        });
    },
    async send(message: Message): Promise<void> {
      if (!config)
        throw new HeraldError('connector.not_found', {
          message: 'Cannot find any available connector for type: Email/Sms.',
          data: { type: 'Email' },
        });
      if (config.kind === 'log') {
        // Development only (HERALD_MESSAGE_CONNECTOR=log): the code is the point of this log line.
        if (message.type === 'OrganizationInvitation')
          log.info(
            { to: message.to, type: message.type, link: message.payload.link },
            'organization invitation (development connector)',
          );
        else
          log.info(
            { to: message.to, type: message.type, code: message.payload.code },
            'verification code (development connector)',
          );
        return;
      }
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...(options.authorization ? { authorization: options.authorization } : {}),
      };
      const result = await options.sender.send(
        { url: config.url, body: JSON.stringify(message), headers },
        SEND_TIMEOUT_MS,
      );
      if (!result.ok) {
        // Neither the connector's answer nor its address goes back to the caller: it may echo the code.
        log.warn(
          { reason: result.error ?? `connector answered ${result.statusCode}`, type: message.type },
          'could not send a message',
        );
        throw new HeraldError('connector.general');
      }
    },
  };
}

export type MessageConnector = ReturnType<typeof createMessageConnector>;
