/**
 * A browser for the Experience API: keeps the interaction cookie between calls, sends `headers`
 * (a user agent, X-Forwarded-*) with every call, and parses JSON answers.
 */
export function interactionBrowser(server: { url: string }, headers: Record<string, string> = {}) {
  let cookie: string | undefined;
  return {
    get cookie() {
      return cookie;
    },
    async call(method: string, path: string, body?: unknown) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(cookie ? { cookie } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0];
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined, setCookie, headers: res.headers };
    },
  };
}

export type InteractionBrowser = ReturnType<typeof interactionBrowser>;
