// Every string the portal shows, one file per language (en.ts, zh-CN.ts). Other languages are typed by the keys of
// `en`, so a key missing in any language fails the TypeScript build; messages.test.ts checks the placeholders match.

import en from './en';
import zh from './zh-CN';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

export const messages: Record<Lang, Messages> = { en, 'zh-CN': zh };

/** Looks a key up and fills {placeholders}; an unknown key shows itself so it is noticed, not hidden. */
export function translate(dict: Messages, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = dict[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}
