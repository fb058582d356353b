import { useCallback, useEffect, useRef, useState } from 'react';
import { api, enc } from '../../lib/api';
import type { FileEntry, FileListing } from '../../lib/types';

export const PAGE_SIZE = 500;

/**
 * A directory listing loaded page by page as rows become visible, so a directory of 50,000 entries costs a few
 * requests of PAGE_SIZE rows instead of one huge answer.
 */
export function useDirectory(cluster: string | undefined, path: string | undefined, sort: string) {
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const pages = useRef(new Map<number, FileEntry[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);
  const [, rerender] = useState(0);

  const loadPage = useCallback(
    (page: number) => {
      if (!cluster || !path || pages.current.has(page) || inFlight.current.has(page)) return;
      const mine = generation.current;
      inFlight.current.add(page);
      api
        .get<FileListing>(`/api/v1/clusters/${enc(cluster)}/files`, {
          path,
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
          sort,
        })
        .then(
          (listing) => {
            if (mine !== generation.current) return;
            pages.current.set(page, listing.entries);
            setTotal(listing.totalCount ?? listing.entries.length);
            setError(undefined);
            rerender((n) => n + 1);
          },
          (e) => {
            if (mine !== generation.current) return;
            setError(e);
            setTotal((t) => t ?? 0);
          },
        )
        .finally(() => inFlight.current.delete(page));
    },
    [cluster, path, sort],
  );

  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    inFlight.current = new Set();
    setTotal(null);
    setError(undefined);
    loadPage(0);
  }, [loadPage, version]);

  const entryAt = useCallback(
    (index: number): FileEntry | undefined => {
      const page = Math.floor(index / PAGE_SIZE);
      const rows = pages.current.get(page);
      if (!rows) {
        loadPage(page);
        return undefined;
      }
      return rows[index % PAGE_SIZE];
    },
    [loadPage],
  );

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const loaded = Array.from(pages.current.values()).flat();
  return { total, error, entryAt, reload, loading: total === null, loaded };
}
