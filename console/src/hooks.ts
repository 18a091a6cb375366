/** Loading a resource and the event catalog, shared by the pages. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText, type Api } from './api';
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
 * GETs `path` now and on reload(). Only the newest request's answer is kept: a slow answer for a
 * previous path (a filter or period changed meanwhile), or one overtaken by set(), is dropped.
 */
export function useLoad<T>(api: Api, path: string | null): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(path !== null);
  const generation = useRef(0);

  const reload = useCallback(async () => {
    if (path === null) return;
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await api.get<T>(path);
      if (mine !== generation.current) return;
      setData(value);
      setError(undefined);
    } catch (e) {
      if (mine === generation.current) setError(errorText(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [api, path]);

  useEffect(() => {
    // A new path shows nothing of the previous one while it loads.
    setData(undefined);
    setError(undefined);
    void reload();
    return () => {
      generation.current++;
    };
  }, [reload]);

  const set = useCallback((value: T) => {
    generation.current++;
    setLoading(false);
    setError(undefined);
    setData(value);
  }, []);

  return { data, error, loading, reload, set };
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
