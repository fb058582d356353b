import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, fromMinutes, joinPath, parentPath, resolveOutputPath, toMinutes } from './format';

describe('format', () => {
  it('converts time limits between units', () => {
    expect(toMinutes(2, 'hours')).toBe(120);
    expect(toMinutes(1, 'days')).toBe(1440);
    expect(fromMinutes(120)).toEqual([2, 'hours']);
    expect(fromMinutes(2880)).toEqual([2, 'days']);
    expect(fromMinutes(90)).toEqual([90, 'minutes']);
  });
  it('formats sizes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100.0 MiB');
    expect(formatDuration(3661)).toBe('01:01:01');
    expect(formatDuration(90061)).toBe('1-01:01:01');
  });
  it('joins and splits paths', () => {
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/home/a', 'b')).toBe('/home/a/b');
    expect(parentPath('/home/a/b')).toBe('/home/a');
    expect(parentPath('/home')).toBe('/');
    expect(parentPath('/')).toBe('/');
  });
});

describe('resolveOutputPath', () => {
  const job = { jobId: '42', user: 'alice', name: 'run', workingDirectory: '/home/alice/w' };
  it('fills the pattern and anchors relative names in the working directory', () => {
    expect(resolveOutputPath('%j.out', job)).toBe('/home/alice/w/42.out');
    expect(resolveOutputPath('/scratch/%u/%x-%j.log', job)).toBe('/scratch/alice/run-42.log');
    expect(resolveOutputPath('100%%-%j', job)).toBe('/home/alice/w/100%-42');
    expect(resolveOutputPath('/home/alice/w/Crane-42.out', job)).toBe('/home/alice/w/Crane-42.out');
    expect(resolveOutputPath(null, job)).toBeUndefined();
  });
});
