// Small conversions shown in several screens.

export type TimeUnit = 'minutes' | 'hours' | 'days';

const MINUTES: Record<TimeUnit, number> = { minutes: 1, hours: 60, days: 24 * 60 };

export function toMinutes(value: number, unit: TimeUnit): number {
  return Math.round(value * MINUTES[unit]);
}

/** The largest unit that expresses the minutes exactly, e.g. 120 → [2, 'hours']. */
export function fromMinutes(minutes: number): [number, TimeUnit] {
  if (minutes > 0 && minutes % MINUTES.days === 0) return [minutes / MINUTES.days, 'days'];
  if (minutes > 0 && minutes % MINUTES.hours === 0) return [minutes / MINUTES.hours, 'hours'];
  return [minutes, 'minutes'];
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${value} B` : `${value.toFixed(1)} ${units[i]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const hms = [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
  return d > 0 ? `${d}-${hms}` : hms;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

export function formatMoney(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const n = typeof value === 'string' ? Number(value) : value;
  return Number.isFinite(n) ? n.toFixed(2) : String(value);
}

/** Joins a directory and a name into an absolute path. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

export function parentPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? '/' : trimmed.slice(0, i);
}

/**
 * The file an output pattern names for a job: %j (job id), %u (user), %x (job name) and %% filled in, a relative
 * pattern taken from the working directory. Undefined when nothing is known.
 */
export function resolveOutputPath(
  pattern: string | null | undefined,
  job: { jobId: string; user?: string | null; name?: string | null; workingDirectory?: string | null },
): string | undefined {
  if (!pattern) return undefined;
  const filled = pattern.replace(/%(%|j|u|x)/g, (_, c: string) =>
    c === '%' ? '%' : c === 'j' ? job.jobId : c === 'u' ? (job.user ?? '') : (job.name ?? ''),
  );
  if (filled.startsWith('/')) return filled;
  return job.workingDirectory ? joinPath(job.workingDirectory, filled) : undefined;
}
