import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGS, messages, translate } from './messages';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('messages', () => {
  const en = messages.en;
  it('has every key in every language, none empty', () => {
    for (const lang of LANGS) {
      expect(Object.keys(messages[lang]).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(messages[lang])) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('uses the same placeholders in every language', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(messages['zh-CN'][key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('translates Chinese strings into Chinese', () => {
    const untranslated = Object.keys(en).filter(
      (key) => /[a-z]{4}/i.test(en[key as keyof typeof en]) && messages['zh-CN'][key as keyof typeof en] === en[key as keyof typeof en],
    );
    expect(untranslated).toEqual([]);
  });

  it('knows every key the code uses', () => {
    const used = new Set<string>();
    for (const file of sources(join(__dirname, '..'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((key) => !(key in en))).toEqual([]);
  });

  it('has a message for every role and every shell state used through template keys', () => {
    for (const role of ['PLATFORM_ADMIN', 'PLATFORM_FINANCE', 'TENANT_ADMIN', 'TENANT_FINANCE', 'ACCOUNT_OWNER', 'ACCOUNT_ADMIN', 'ACCOUNT_USER']) {
      expect(`role.${role}` in en).toBe(true);
    }
    for (const s of ['connecting', 'open', 'closed', 'error']) expect(`shell.${s}` in en).toBe(true);
    for (const a of ['CPUS', 'GPUS', 'MAX_CPUS_MEM', 'MAX_GPUS_CPUS']) expect(`prices.amount.${a}` in en).toBe(true);
  });

  it('fills placeholders', () => {
    expect(translate(en, 'submit.submitted', { id: 42 })).toBe('Job 42 submitted');
    expect(translate(messages['zh-CN'], 'submit.submitted', { id: 42 })).toBe('作业 42 已提交');
  });
});
