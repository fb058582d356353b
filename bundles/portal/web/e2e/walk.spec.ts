import { expect, Page, test } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ARTIFACTS } from './playwright.config';
import {
  ADMIN,
  ADMIN_PASSWORD,
  apiAs,
  choose,
  CLUSTER,
  login,
  logout,
  PARTITION,
  send,
  shot,
  USER,
  USER_PASSWORD,
} from './support';

// One walk through the portal as a new user and an admin would take it, in order: each step builds on the last.
test.describe.configure({ mode: 'serial' });

const ACCOUNT = `e2e${Date.now().toString(36)}`;
const MARKER = `hello-e2e-${Date.now()}`;
let jobId = '';

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function writeRandomFile(file: string, bytes: number) {
  const out = createWriteStream(file);
  const block = 4 * 1024 * 1024;
  for (let written = 0; written < bytes; written += block) {
    if (!out.write(randomBytes(Math.min(block, bytes - written)))) await new Promise((r) => out.once('drain', r));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

async function openAccounts(page: Page) {
  await page.goto('/admin/accounts');
  await expect(page.getByTestId(`account-row-${ACCOUNT}`)).toBeVisible();
}

test.beforeAll(async () => {
  expect(ADMIN_PASSWORD, 'set SCOW_ADMIN_PASSWORD').not.toBe('');
  // The walk's user: a platform user with a built-in password (the Unix user must exist on the cluster).
  const admin = await apiAs(ADMIN, ADMIN_PASSWORD);
  const created = await send(admin, 'POST', '/api/v1/management/users', { userId: USER, name: USER, tenant: process.env.E2E_TENANT ?? 'default' });
  expect([201, 409], await created.text()).toContain(created.status());
  const credential = await send(admin, 'POST', '/api/v1/auth/users', { user: USER, password: USER_PASSWORD });
  if (credential.status() !== 201) {
    const reset = await send(admin, 'PUT', `/api/v1/auth/users/${USER}/password`, { password: USER_PASSWORD });
    expect(reset.ok(), await reset.text()).toBe(true);
  }
  await admin.dispose();
});

test('admin signs in, sees the dashboard, creates an account, adds the user, sets a price and recharges', async ({ page }) => {
  await login(page, ADMIN, ADMIN_PASSWORD);
  await expect(page.getByTestId('dashboard')).toBeVisible();
  await expect(page.getByTestId(`cluster-${CLUSTER}`)).toBeVisible();
  await shot(page, '01-admin-dashboard');

  await page.goto('/admin/accounts');
  await page.getByTestId('create-account').click();
  await page.getByTestId('field-name').fill(ACCOUNT);
  await page.getByTestId('field-owner').fill(ADMIN);
  await page.getByTestId('field-tenant').fill(process.env.E2E_TENANT ?? 'default');
  await page.getByTestId('create-account-ok').click();
  await expect(page.getByTestId(`account-row-${ACCOUNT}`)).toBeVisible();

  await page.getByTestId(`add-member-${ACCOUNT}`).click();
  await page.getByTestId('field-user').fill(USER);
  await page.getByTestId(`add-member-${ACCOUNT}-ok`).click();
  await expect(page.locator('.ant-message')).toBeVisible();

  await page.goto('/admin/prices');
  await page.getByTestId('add-price').click();
  await choose(page, 'field-cluster', CLUSTER);
  await page.getByTestId('field-partition').fill(PARTITION);
  // 3600 per core hour: a job of a few seconds costs a few units, so the balance visibly drops
  await page.getByTestId('field-price').fill('3600');
  await page.getByTestId('add-price-ok').click();
  await expect(page.locator('.ant-table-row', { hasText: '3600' }).first()).toBeVisible();
  await shot(page, '02-prices');

  await openAccounts(page);
  await page.getByTestId(`recharge-${ACCOUNT}`).click();
  await page.getByTestId('field-amount').fill('100');
  await page.getByTestId(`recharge-${ACCOUNT}-ok`).click();
  await expect(page.getByTestId(`balance-${ACCOUNT}`)).toHaveText('100.00');
  await shot(page, '03-accounts');
  await logout(page);
});

test('the user signs in, switches language, submits a job and watches it run to completion', async ({ page }) => {
  await login(page, USER, USER_PASSWORD);
  await expect(page.getByTestId('my-accounts')).toContainText(ACCOUNT);

  // English and back: every menu entry changes language
  await page.getByTestId('lang-switch').getByText('English').click();
  await expect(page.getByTestId('nav')).toContainText('Dashboard');
  await shot(page, '04-dashboard-en');
  await page.getByTestId('lang-switch').getByText('中文').click();
  await expect(page.getByTestId('nav')).toContainText('仪表盘');
  await shot(page, '05-dashboard-zh');

  await page.goto('/jobs/submit');
  await choose(page, 'job-account', ACCOUNT);
  await expect(page.getByTestId('job-partition')).toContainText(PARTITION);
  await page.getByTestId('job-name').fill('e2e-walk');
  await page.getByTestId('job-stdout').fill('e2e-%j.out');
  // the form starts in the user's home, as the file service reports it
  if (process.env.E2E_WORKDIR) await page.getByTestId('job-workdir').fill(process.env.E2E_WORKDIR);
  await expect(page.getByTestId('job-workdir')).toHaveValue(/^\//);
  const editor = page.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(`#!/bin/bash\necho ${MARKER}\nsleep 15\n`);
  await shot(page, '06-submit-form');
  await page.getByTestId('submit-job').click();

  await expect(page.getByTestId('job-detail')).toBeVisible();
  jobId = decodeURIComponent(page.url().split('/').pop()!);
  const seen: string[] = [];
  const state = page.getByTestId('job-state').first();
  await expect(async () => {
    const now = (await state.textContent())?.trim() ?? '';
    if (seen[seen.length - 1] !== now) seen.push(now);
    expect(now).toBe('COMPLETED');
  }).toPass({ timeout: 180_000, intervals: [500] });
  const order = ['PENDING', 'RUNNING', 'COMPLETED'];
  expect(seen.filter((s) => order.includes(s)), `states seen: ${seen}`).toEqual(
    order.filter((s) => seen.includes(s)),
  );
  expect(seen, `states seen: ${seen}`).toContain('RUNNING');
  await shot(page, '07-job-completed');

  // its output in the file manager
  await page.getByTestId('open-output').click();
  await expect(page.getByTestId('files-page')).toBeVisible();
  const output = page.getByTestId(`file-row-e2e-${jobId}.out`);
  await expect(output).toBeVisible();
  await output.getByTestId('file-name').click();
  await expect(page.getByTestId('file-content')).toContainText(MARKER);
  await shot(page, '08-job-output');
  await page.keyboard.press('Escape');
});

test('the user uploads 100 MB with progress and downloads it back byte-identical', async ({ page }) => {
  const dir = path.join(ARTIFACTS, 'tmp');
  mkdirSync(dir, { recursive: true });
  const name = `upload-${Date.now()}.bin`;
  const local = path.join(dir, name);
  await writeRandomFile(local, 100 * 1024 * 1024);

  await login(page, USER, USER_PASSWORD);
  await page.goto('/files');
  await expect(page.getByTestId('file-list')).toBeVisible();
  await page.getByTestId('upload-input').setInputFiles(local);
  const progress = page.getByTestId('upload-progress').last();
  await expect(progress).toBeVisible();
  await shot(page, '09-upload-progress');
  await expect(page.getByTestId('upload-item').last()).toHaveAttribute('data-state', 'done', { timeout: 300_000 });
  await expect(progress).toContainText('100%');

  const row = page.getByTestId(`file-row-${name}`);
  await expect(row).toBeVisible();
  await shot(page, '10-files');
  // the floating uploads panel may cover the last rows of a long listing: put it away, as a user would
  await page.getByRole('button', { name: /清除已完成|Clear finished/ }).click();
  await row.getByTestId('file-actions').click();
  const downloading = page.waitForEvent('download');
  await page.locator('.ant-dropdown:visible').getByText(/下载|Download/).first().click();
  const download = await downloading;
  const saved = path.join(dir, `back-${name}`);
  await download.saveAs(saved);
  expect(statSync(saved).size).toBe(statSync(local).size);
  expect(await sha256(saved)).toBe(await sha256(local));

  // and delete it with confirmation
  await row.getByTestId('file-actions').click();
  await page.locator('.ant-dropdown:visible').getByText(/删除|Delete/).first().click();
  await page.getByTestId('confirm-delete').click();
  await expect(row).toHaveCount(0);
});

test('the user runs hostname in the web shell and reads the answer', async ({ page }) => {
  await login(page, USER, USER_PASSWORD);
  await page.goto(`/shell?cluster=${CLUSTER}`);
  await expect(page.getByTestId('shell-status')).toHaveText(/已连接|Connected/, { timeout: 30_000 });
  await page.getByTestId('terminal').click();
  await page.keyboard.type('echo "[$(hostname)]"\n');
  const expected = `[${os.hostname()}]`;
  await expect(page.locator('.xterm-rows')).toContainText(expected, { timeout: 15_000 });
  await shot(page, '11-shell');
});

test('the admin sees the job charged and the balance drop, then blocks the account', async ({ page }) => {
  await login(page, ADMIN, ADMIN_PASSWORD);
  const admin = await apiAs(ADMIN, ADMIN_PASSWORD);
  await page.goto('/admin/records');
  await page.getByRole('tab', { name: /扣费记录|Charges/ }).click();
  await expect(async () => {
    await send(admin, 'POST', '/api/v1/billing/fetch'); // fetch finished jobs now instead of waiting for the timer
    await page.getByRole('tabpanel').getByRole('button', { name: /搜索|Search/ }).click();
    await expect(page.getByRole('tabpanel').locator('.ant-table-row', { hasText: ACCOUNT }).first()).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 120_000, intervals: [2000] });
  await shot(page, '12-charges');

  await openAccounts(page);
  const balance = Number(await page.getByTestId(`balance-${ACCOUNT}`).textContent());
  expect(balance).toBeLessThan(100);

  await page.getByTestId(`block-${ACCOUNT}`).click();
  await page.getByTestId('confirm-block').click();
  await expect(page.getByTestId(`unblock-${ACCOUNT}`)).toBeVisible();
  await shot(page, '13-account-blocked');
  await admin.dispose();
  await logout(page);

  await login(page, USER, USER_PASSWORD);
  // the form says why nothing can be submitted: the blocked account has no partition left
  await page.goto('/jobs/submit');
  await choose(page, 'job-account', ACCOUNT);
  await expect(page.getByTestId('no-partitions')).toContainText(/封锁|blocked/);
  await expect(page.getByTestId('job-partition')).not.toContainText(PARTITION);
  await shot(page, '14-submit-refused');
  // and the scheduler refuses a submission that bypasses the form
  const user = await apiAs(USER, USER_PASSWORD);
  const refused = await send(user, 'POST', `/api/v1/clusters/${CLUSTER}/jobs`, {
    user: USER, name: 'blocked', account: ACCOUNT, partition: PARTITION, nodes: 1, coresPerNode: 1, gpusPerNode: 0,
    timeLimitMinutes: 5, script: '#!/bin/bash\ntrue\n', workingDirectory: '/tmp',
  });
  expect(refused.status(), await refused.text()).toBeGreaterThanOrEqual(400);
  expect(refused.status()).toBeLessThan(500);
  expect(await refused.text()).toMatch(/block/i);
  await user.dispose();
});

test('the main screens work at phone width', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, USER, USER_PASSWORD);
  await expect(page.getByTestId('dashboard')).toBeVisible();
  await shot(page, '15-phone-dashboard');
  await page.goto('/files');
  await expect(page.getByTestId('file-list')).toBeVisible();
  await shot(page, '16-phone-files');
});

// Page-load times are measured and reported (timings.txt in the artifacts; the target is under 1 s on
// localhost), not asserted: a timing assertion fails on a busy CI machine, not on a slow page.
test('the sign-in page and the dashboard load, timed', async ({ browser }) => {
  const loginMs: number[] = [];
  const dashboardMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext(); // cold cache every time
    const page = await context.newPage();
    await page.goto('/login');
    await expect(page.getByTestId('login-submit')).toBeVisible();
    loginMs.push(
      await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return nav.loadEventEnd - nav.startTime;
      }),
    );
    await page.getByTestId('login-user').fill(USER);
    await page.getByTestId('login-password').fill(USER_PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('current-user')).toHaveText(USER);
    const start = Date.now();
    await page.goto('/');
    await expect(page.getByTestId('my-accounts')).toBeVisible();
    dashboardMs.push(Date.now() - start);
    await context.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const line = `sign-in page load (cold cache): median ${Math.round(median(loginMs))} ms, all ${loginMs.map(Math.round).join(' ')}; `
    + `dashboard after sign-in: median ${median(dashboardMs)} ms, all ${dashboardMs.join(' ')}`;
  test.info().annotations.push({ type: 'timing', description: line });
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, 'timings.txt'), line + '\n');
  console.log(line);
});
