/** Loading a hook and the event catalog, shared by the pages. */
import { useCallback, useEffect, useState } from 'react';
import { errorText, type Api } from './api';
import type { CatalogEvent } from './types';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  set: (value: T) => void;
}

/** GETs `path` now and on reload(); keeps the last data while reloading. */
export function useLoad<T>(api: Api, path: string | null): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(path !== null);
  const reload = useCallback(async () => {
    if (path === null) return;
    setLoading(true);
    try {
      setData(await api.get<T>(path));
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [api, path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, set: setData };
}

/** The groups of Logto's console, in its order; Herald's own events last. */
export const GROUP_ORDER = [
  'User',
  'Organization',
  'Role',
  'Organization role',
  'Permission',
  'Organization permission',
  'User interaction',
  'Security',
  'Herald extensions',
];

export function groupCatalog(catalog: CatalogEvent[]): [string, CatalogEvent[]][] {
  const groups = new Map<string, CatalogEvent[]>();
  for (const name of GROUP_ORDER) groups.set(name, []);
  for (const event of catalog) {
    if (!groups.has(event.group)) groups.set(event.group, []);
    groups.get(event.group)!.push(event);
  }
  return [...groups].filter(([, events]) => events.length > 0);
}
