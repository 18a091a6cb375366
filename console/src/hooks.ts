/** Loading a resource and the event catalog, shared by the pages. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText, type Api, type Paged } from './api';
import { EVENT_GROUPS } from '../../src/events/catalog.ts';
import type { CatalogEvent } from '../../src/hooks/schemas.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  /** Replaces the data with what a write answered; answers of reads started before are dropped. */
  set: (value: T) => void;
}

/**
 * The one loader under useLoad and usePage: GETs `path` (a page of a list when `paged`) now and on reload(). Only the newest
 * request's answer is kept: a slow answer for a previous path, or one overtaken by set(), is dropped.
 * `keep` keeps showing the previous path's data while the new one loads (a pager turning pages).
 */
function useRequest<T>(api: Api, path: string | null, paged: boolean, keep: boolean): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(path !== null);
  const generation = useRef(0);

  const reload = useCallback(async () => {
    if (path === null) return;
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = (await (paged ? api.getPage(path) : api.get(path))) as T;
      if (mine !== generation.current) return;
      setData(value);
      setError(undefined);
    } catch (e) {
      if (mine === generation.current) setError(errorText(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [api, path, paged]);

  useEffect(() => {
    if (!keep) {
      // A new path shows nothing of the previous one while it loads.
      setData(undefined);
      setError(undefined);
    }
    void reload();
    return () => {
      generation.current++;
    };
  }, [reload, keep]);

  const set = useCallback((value: T) => {
    generation.current++;
    setLoading(false);
    setError(undefined);
    setData(value);
  }, []);

  return { data, error, loading, reload, set };
}

/**
 * GETs `path` now and on reload(). Only the newest request's answer is kept: a slow answer for a
 * previous path (a filter or period changed meanwhile), or one overtaken by set(), is dropped.
 */
export function useLoad<T>(api: Api, path: string | null): Loaded<T> {
  return useRequest<T>(api, path, false, false);
}

export type LoadedPage<T> = Loaded<Paged<T>>;

/**
 * GETs one page of a paged list (its Total-Number header read too) now and on reload(); only the
 * newest request's answer is kept. With `keep`, the page shown stays while the next one loads.
 */
export function usePage<T>(api: Api, path: string | null, { keep = true }: { keep?: boolean } = {}): LoadedPage<T> {
  return useRequest<Paged<T>>(api, path, true, keep);
}

/** The rows of a list page, unless a page says otherwise. */
export const PAGE_SIZE = 20;

/** usePage with the page's rows and total at hand; `path` may carry other parameters. */
export function usePaged<T>(api: Api, path: string, page: number, pageSize = PAGE_SIZE) {
  const { data, ...rest } = usePage<T>(api, pagePath(path, page, pageSize));
  return { ...rest, rows: data?.data, total: data?.total ?? 0 };
}

/** `path` with `page` and `page_size` added (`path` may carry other parameters). */
export const pagePath = (path: string, page: number, pageSize: number): string =>
  `${path}${path.includes('?') ? '&' : '?'}page=${page}&page_size=${pageSize}`;

/** A LIKE pattern that finds `term` anywhere (Logto's `like` mode; its own `%`, `_` and `\` taken literally). */
export const containing = (term: string): string => `%${term.replace(/[\\%_]/g, '\\$&')}%`;

let flashText: string | undefined;
/** A notice for the next page shown (after a create or a delete navigates away). */
export function setFlash(text: string): void {
  flashText = text;
}
/** The notice left by the previous page, once (read on mount, cleared after, so StrictMode's second render sees it too). */
export function useFlash() {
  const state = useState<string | undefined>(() => flashText);
  useEffect(() => {
    flashText = undefined;
  }, []);
  return state;
}

/**
 * One action area: its busy flag, the API's error, and the notice after success. `run` does the
 * request and says what happened; an error keeps the form as typed.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const run = useCallback(async (work: () => Promise<string | undefined>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const done = await work();
      if (done) setNotice(done);
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, notice, run, setNotice };
}

export function groupCatalog(catalog: CatalogEvent[]): [string, CatalogEvent[]][] {
  const groups = new Map<string, CatalogEvent[]>();
  // The groups of Logto's console, in its order, then Herald's own: the server's list.
  for (const name of EVENT_GROUPS) groups.set(name, []);
  for (const event of catalog) {
    // An event a hook may not take is not offered (the server would refuse it).
    if (!event.available) continue;
    if (!groups.has(event.group)) groups.set(event.group, []);
    groups.get(event.group)!.push(event);
  }
  return [...groups].filter(([, events]) => events.length > 0);
}
