/**
 * `herald trigger <event> [--hook ID]`: make an event happen and print what its deliveries did.
 *
 * Without --hook, events the Management API makes cheaply are made for real (a user, role or
 * organization named `herald-trigger-…` is created, and updated or deleted when the event asks for
 * it), and each subscribed, enabled hook's delivery of it is followed until its first attempt is
 * recorded. With --hook, the catalog's sample payload for the event is sent to that hook through
 * `POST /api/hooks/:id/test` (as Logto's test button: signed, nothing recorded), for any event.
 */
import { apiClient, CliError, type ServerOptions } from './client.ts';

type Api = ReturnType<typeof apiClient>;
type Producer = (api: Api, name: string) => Promise<string>;

const user = (api: Api, name: string) =>
  api.call<{ id: string }>('POST', '/api/users', { username: name.replaceAll('-', '_') }).then((u) => u.id);
const role = (api: Api, name: string) =>
  api.call<{ id: string }>('POST', '/api/roles', { name, description: 'made by herald trigger' }).then((r) => r.id);
const organization = (api: Api, name: string) =>
  api.call<{ id: string }>('POST', '/api/organizations', { name }).then((o) => o.id);

/** What each cheap event takes; the answer names what was made. */
const producers: Record<string, Producer> = {
  'User.Created': async (api, name) => `user ${await user(api, name)}`,
  'User.Data.Updated': async (api, name) => {
    const id = await user(api, name);
    await api.call('PATCH', `/api/users/${id}`, { name: 'Updated by herald trigger' });
    return `user ${id}`;
  },
  'User.SuspensionStatus.Updated': async (api, name) => {
    const id = await user(api, name);
    await api.call('PATCH', `/api/users/${id}/is-suspended`, { isSuspended: true });
    return `user ${id} (suspended)`;
  },
  'User.Deleted': async (api, name) => {
    const id = await user(api, name);
    await api.call('DELETE', `/api/users/${id}`);
    return `user ${id} (deleted)`;
  },
  'Role.Created': async (api, name) => `role ${await role(api, name)}`,
  'Role.Data.Updated': async (api, name) => {
    const id = await role(api, name);
    await api.call('PATCH', `/api/roles/${id}`, { description: 'updated by herald trigger' });
    return `role ${id}`;
  },
  'Role.Deleted': async (api, name) => {
    const id = await role(api, name);
    await api.call('DELETE', `/api/roles/${id}`);
    return `role ${id} (deleted)`;
  },
  'Organization.Created': async (api, name) => `organization ${await organization(api, name)}`,
  'Organization.Data.Updated': async (api, name) => {
    const id = await organization(api, name);
    await api.call('PATCH', `/api/organizations/${id}`, { description: 'updated by herald trigger' });
    return `organization ${id}`;
  },
  'Organization.Deleted': async (api, name) => {
    const id = await organization(api, name);
    await api.call('DELETE', `/api/organizations/${id}`);
    return `organization ${id} (deleted)`;
  },
  'OrganizationRole.Created': async (api, name) =>
    `organization role ${(await api.call<{ id: string }>('POST', '/api/organization-roles', { name })).id}`,
  'OrganizationScope.Created': async (api, name) =>
    `organization permission ${(await api.call<{ id: string }>('POST', '/api/organization-scopes', { name })).id}`,
};

/** The events `herald trigger` makes for real without --hook. */
export const REAL_EVENTS: readonly string[] = Object.keys(producers);

interface Hook {
  id: string;
  name: string;
  events: string[];
  event: string | null;
  enabled: boolean;
  config: { url: string; headers?: Record<string, string> };
  listener?: boolean;
}

interface Delivery {
  id: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
}

export interface TriggerOptions extends ServerOptions {
  event: string;
  hookId?: string | undefined;
  /** How long to wait for each delivery's first attempt. */
  timeoutMs?: number;
  print?: (line: string) => void;
}

/** Answers true when every delivery (or test request) got a 2xx. */
export async function trigger(options: TriggerOptions): Promise<boolean> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const api = apiClient(options);
  const catalog = await api.call<{ name: string; available: boolean }[]>('GET', '/api/hook-events');
  const entry = catalog.find((e) => e.name === options.event);
  if (!entry?.available) {
    const names = catalog.filter((e) => e.available).map((e) => e.name);
    throw new CliError(`"${options.event}" is not an event a hook can take; one of: ${names.join(', ')}`);
  }

  if (options.hookId) {
    const hook = await api.call<Hook>('GET', `/api/hooks/${encodeURIComponent(options.hookId)}`);
    const { results } = await api.call<{
      results: { statusCode: number | null; durationMs: number; error: string | null; ok: boolean }[];
    }>(
      'POST',
      `/api/hooks/${hook.id}/test`,
      { events: [options.event], config: hook.config },
      { prefer: 'return=representation' },
    );
    for (const r of results)
      print(
        `${options.event} sample → ${hook.name || hook.id} (${hook.config.url}): ${r.statusCode ?? '—'}${r.error ? ` ${r.error}` : ''} (${r.durationMs} ms)`,
      );
    return results.every((r) => r.ok);
  }

  const produce = producers[options.event];
  if (!produce)
    throw new CliError(
      `herald trigger makes ${options.event} only as a sample: name a hook with --hook ID (events made for real: ${REAL_EVENTS.join(', ')})`,
    );
  const hooks = (await api.call<Hook[]>('GET', '/api/hooks')).filter(
    (h) => h.enabled && (h.events.length ? h.events : h.event ? [h.event] : []).includes(options.event),
  );
  const since = Date.now() - 1000;
  const made = await produce(api, `herald-trigger-${Math.random().toString(36).slice(2, 10)}`);
  print(`${options.event}: made ${made}`);
  if (hooks.length === 0) {
    print('No enabled hook subscribes to it: nothing was delivered.');
    return true;
  }
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let allOk = true;
  await Promise.all(
    hooks.map(async (hook) => {
      const label = hook.listener ? hook.name : `${hook.name || hook.id} (${hook.config.url})`;
      for (;;) {
        const page = await api.call<{ data: Delivery[] }>(
          'GET',
          `/api/hooks/${hook.id}/deliveries?event=${encodeURIComponent(options.event)}&since=${since}&limit=1`,
        );
        const delivery = page.data[0];
        if (delivery && delivery.attempts > 0) {
          const ok = delivery.status === 'succeeded';
          allOk &&= ok;
          print(
            `  → ${label}: ${delivery.status}, ${delivery.lastStatusCode ?? delivery.lastError ?? ''} (delivery ${delivery.id}, ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'})`,
          );
          return;
        }
        if (Date.now() > deadline) {
          allOk = false;
          print(
            `  → ${label}: ${delivery ? `still ${delivery.status}, no attempt yet` : 'no delivery seen'} after waiting`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }),
  );
  return allOk;
}
