import { APIRequestContext, expect, Page, request } from '@playwright/test';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { ARTIFACTS } from './playwright.config';

export const BASE_URL = process.env.BASE_URL ?? 'http://localhost:8181';
export const ADMIN = process.env.SCOW_ADMIN_USER ?? 'admin';
export const ADMIN_PASSWORD = process.env.SCOW_ADMIN_PASSWORD ?? '';
export const USER = process.env.E2E_USER ?? 'alice';
export const USER_PASSWORD = process.env.E2E_USER_PASSWORD ?? 'E2e-Walk-Pass-2468';
export const CLUSTER = process.env.E2E_CLUSTER ?? 'local';
export const PARTITION = process.env.E2E_PARTITION ?? 'debug';

/** Saves a full-page screenshot of a main screen as a test artifact. */
export async function shot(page: Page, name: string) {
  const dir = path.join(ARTIFACTS, 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

export async function login(page: Page, user: string, password: string) {
  await page.goto('/login');
  await page.getByTestId('login-user').fill(user);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('current-user')).toHaveText(user);
}

export async function logout(page: Page) {
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-submit')).toBeVisible();
}

/** Picks an option of an antd Select by its exact text. */
export async function choose(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

/** An API session as the given user, for setup that is not what the walk is about. */
export async function apiAs(user: string, password: string): Promise<APIRequestContext & { csrf: string }> {
  const ctx = await request.newContext({ baseURL: BASE_URL });
  const r = await ctx.post('/api/v1/auth/login', { data: { user, password } });
  expect(r.status(), await r.text()).toBe(200);
  const csrf = (await r.json()).csrfToken as string;
  return Object.assign(ctx, { csrf });
}

export async function send(
  api: APIRequestContext & { csrf: string },
  method: 'POST' | 'PUT' | 'DELETE',
  url: string,
  data?: unknown,
) {
  return api.fetch(url, { method, data, headers: { 'X-CSRF-Token': api.csrf } });
}
