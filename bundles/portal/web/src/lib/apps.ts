// Interactive apps: what /api/v1/apps and /api/v1/app-sessions answer, and small helpers for the apps page.

export interface AppSummary {
  id: string;
  name: string;
  description?: string;
  icon?: string;
  type: 'web' | 'vnc';
  clusters: string[];
}

export interface AppList {
  apps: AppSummary[];
  /** Definition files left out (platform admins only), each naming the file and key. */
  problems: string[];
}

export interface FormField {
  name: string;
  label: string;
  type: 'select' | 'number' | 'text' | 'file';
  required: boolean;
  value?: string | null;
  fixed: boolean;
  hidden: boolean;
  options: { value: string; label: string }[];
  min?: number | null;
  max?: number | null;
  help?: string | null;
}

export interface AppForm {
  app: string;
  cluster: string;
  fields: FormField[];
}

export type SessionState = 'QUEUED' | 'STARTING' | 'RUNNING' | 'ENDED' | 'UNKNOWN';

export interface SessionView {
  id: string;
  app: string;
  appName: string;
  cluster: string;
  owner: string;
  jobId: string;
  state: SessionState;
  message?: string;
  reason?: string;
  expectedStart?: string | null;
  submitTime: string;
  startTime?: string | null;
  endTime?: string | null;
  timeLeftSeconds?: number | null;
  failed: boolean;
  logTail?: string | null;
  sessionDir: string;
  proxyPath: string;
  values: Record<string, string>;
}

export interface ConnectInfo {
  method: 'GET' | 'POST';
  url: string;
  form: Record<string, string>;
  password: string;
}

export const SESSION_COLORS: Record<SessionState, string> = {
  QUEUED: 'gold',
  STARTING: 'cyan',
  RUNNING: 'blue',
  ENDED: 'default',
  UNKNOWN: 'orange',
};

/** The form's initial values: what the server proposes, numbers as numbers; hidden fields are left to the server. */
export function initialValues(form: AppForm): Record<string, string | number | undefined> {
  const values: Record<string, string | number | undefined> = {};
  for (const f of form.fields) {
    if (f.hidden) continue;
    const v = f.value ?? undefined;
    values[f.name] = f.type === 'number' && v !== undefined && v !== '' ? Number(v) : v;
  }
  return values;
}

/** What to send: the fields the user may set, empty ones left out (the server then applies its defaults). */
export function launchValues(form: AppForm, values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of form.fields) {
    if (f.hidden || f.fixed) continue;
    const v = values[f.name];
    if (v === undefined || v === null || v === '') continue;
    out[f.name] = String(v);
  }
  return out;
}
