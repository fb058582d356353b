import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, setCsrfToken, setUnauthenticatedHandler } from './lib/api';
import type { Me, Role, UserRoles } from './lib/types';

interface AuthValue {
  me: Me | null;
  roles: UserRoles | null;
  /** true until the first /auth/me answered. */
  checking: boolean;
  login: (user: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  has: (...roles: Role[]) => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [roles, setRoles] = useState<UserRoles | null>(null);
  const [checking, setChecking] = useState(true);

  const adopt = useCallback(async (who: Me) => {
    setCsrfToken(who.csrfToken);
    let r = who.roles;
    if (!r) {
      r = await api.get<UserRoles>(`/api/v1/management/users/${encodeURIComponent(who.user)}/roles`).catch(() => null);
    }
    setRoles(r);
    setMe(who);
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setMe(null);
      setRoles(null);
      setCsrfToken(null);
    });
    api
      .get<Me>('/api/v1/auth/me')
      .then(adopt)
      .catch(() => setMe(null))
      .finally(() => setChecking(false));
    return () => setUnauthenticatedHandler(null);
  }, [adopt]);

  const login = useCallback(
    async (user: string, password: string) => {
      const answer = await api.post<{ csrfToken: string }>('/api/v1/auth/login', { user, password });
      setCsrfToken(answer.csrfToken);
      await adopt(await api.get<Me>('/api/v1/auth/me'));
    },
    [adopt],
  );

  const logout = useCallback(async () => {
    await api.post('/api/v1/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    setMe(null);
    setRoles(null);
  }, []);

  const has = useCallback(
    (...wanted: Role[]) => {
      if (!roles) return false;
      return wanted.some(
        (role) =>
          roles.platform?.includes(role) ||
          roles.tenantRoles?.includes(role) ||
          Object.values(roles.accounts ?? {}).includes(role),
      );
    },
    [roles],
  );

  const value = useMemo(() => ({ me, roles, checking, login, logout, has }), [me, roles, checking, login, logout, has]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
