import { DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import type { ClusterView } from './types';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs a loader when its dependencies change; the latest call wins. */
export function useAsync<T>(loader: () => Promise<T>, deps: DependencyList, intervalMs?: number): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(loader, deps);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    run().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e) => {
        if (mine !== generation.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [run]);
  useEffect(() => {
    reload();
    if (!intervalMs) return undefined;
    const timer = setInterval(reload, intervalMs);
    return () => clearInterval(timer);
  }, [reload, intervalMs]);
  return { data, error, loading, reload };
}

let clustersPromise: Promise<ClusterView[]> | null = null;

/** The clusters, loaded once per page load. */
export function useClusters(): AsyncState<ClusterView[]> {
  return useAsync(() => {
    if (!clustersPromise) {
      clustersPromise = api.get<ClusterView[]>('/api/v1/clusters');
      clustersPromise.catch(() => (clustersPromise = null));
    }
    return clustersPromise;
  }, []);
}

const CLUSTER_KEY = 'scow.cluster';

/** The cluster a page works on: the last one chosen, else the first online one. */
export function useSelectedCluster(): [string | undefined, (id: string) => void, ClusterView[]] {
  const { data } = useClusters();
  const [chosen, setChosen] = useState<string | undefined>(() => localStorage.getItem(CLUSTER_KEY) ?? undefined);
  const clusters = data ?? [];
  const valid = clusters.find((c) => c.id === chosen) ? chosen : (clusters.find((c) => c.online) ?? clusters[0])?.id;
  const choose = useCallback((id: string) => {
    localStorage.setItem(CLUSTER_KEY, id);
    setChosen(id);
  }, []);
  return [valid, choose, clusters];
}
