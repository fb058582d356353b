import { expect, test } from '@playwright/test';
import { ADMIN, ADMIN_PASSWORD, apiAs, login, logout, send, shot, USER, USER_PASSWORD } from './support';

// At center A of a running federation (itests ThreeCenterIT): A's user submits a job to the federation, sees where
// it would run and why, submits it and sees where it went; A's admin reads the statement with that peer.
test.describe.configure({ mode: 'serial' });

const ACCOUNT = process.env.E2E_ACCOUNT ?? 'physics';
let federationJobId = '';

test.beforeAll(async () => {
  expect(ADMIN_PASSWORD, 'set SCOW_ADMIN_PASSWORD').not.toBe('');
  const admin = await apiAs(ADMIN, ADMIN_PASSWORD);
  const credential = await send(admin, 'POST', '/api/v1/auth/users', { user: USER, password: USER_PASSWORD });
  if (credential.status() !== 201) {
    const reset = await send(admin, 'PUT', `/api/v1/auth/users/${USER}/password`, { password: USER_PASSWORD });
    expect(reset.ok(), await reset.text()).toBe(true);
  }
  await admin.dispose();
});

test('a user submits to the federation and sees where the job went and why', async ({ page }) => {
  await login(page, USER, USER_PASSWORD);
  await page.getByTestId('nav').getByText('Submit to the federation').click();
  await expect(page.getByTestId('federated-submit-page')).toBeVisible();
  await page.getByTestId('fed-account').fill(ACCOUNT);
  await page.getByTestId('fed-name').fill('walk-federated');
  await page.getByTestId('fed-directory').fill('/tmp');
  await page.getByTestId('fed-data').fill('b');

  await page.getByTestId('fed-route').click();
  await expect(page.getByTestId('fed-chosen')).toContainText('b / fedb');
  await expect(page.getByTestId('fed-chosen-why')).toContainText('input data here');
  await expect(page.getByTestId('fed-options')).toContainText('fedc');
  await expect(page.getByTestId('fed-options')).toContainText("c's own table");
  await shot(page, 'federation-route');

  await page.getByTestId('fed-submit').click();
  const routed = page.getByTestId('fed-routed');
  await expect(routed).toContainText('runs at center b, cluster fedb');
  federationJobId = (/Submitted as (\S+):/.exec((await routed.textContent()) ?? '') ?? [])[1] ?? '';
  expect(federationJobId).toMatch(/^a:fedb:\S+$/);
  await shot(page, 'federation-submitted');
  await logout(page);
});

test("A's admin reads the statement with B and can export it", async ({ page }) => {
  await login(page, ADMIN, ADMIN_PASSWORD);
  await page.goto('/admin/federation');
  await expect(page.getByTestId('federation-page')).toBeVisible();
  await page.getByTestId('federation-peer').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '(b)' }).click();
  await expect(page.getByTestId('owed-to-peer')).not.toHaveText('');
  await expect(page.getByTestId('statement-entries')).toContainText('physics');
  const csv = page.getByTestId('export-csv');
  await expect(csv).toHaveAttribute('href', /statement\?peer=b&.*format=csv/);
  const download = await Promise.all([page.waitForEvent('download'), csv.click()]).then(([d]) => d);
  expect(download.suggestedFilename()).toBe('statement-a-b.csv');
  await shot(page, 'federation-statement');
});
