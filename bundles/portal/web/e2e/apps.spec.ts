import { expect, test } from '@playwright/test';
import { ADMIN, ADMIN_PASSWORD, login, shot, USER, USER_PASSWORD } from './support';

// The interactive apps page as a user takes it: launch Jupyter, watch the card until it runs, open it through the
// platform's proxy, end it. Run by AppsIT (APPS_E2E=1) once the user, an account and Jupyter on the cluster exist;
// skipped in the general walk, which sets none of that up.
test.skip(!process.env.APPS_E2E, 'run by AppsIT, which prepares the user, the account and Jupyter');
test.describe.configure({ mode: 'serial' });

test('the user launches Jupyter, opens it through the proxy and ends the session', async ({ page }) => {
  await login(page, USER, USER_PASSWORD);
  await page.getByTestId('lang-switch').getByText('English').click();
  await page.goto('/apps');
  await expect(page.getByTestId('app-jupyter')).toBeVisible();
  await shot(page, 'apps-list');

  await page.getByTestId('app-jupyter').getByTestId('app-launch').click();
  await expect(page.getByTestId('field-account')).toBeVisible();
  await shot(page, 'apps-launch-form');
  await page.getByTestId('launch-submit').click();
  await expect(page.getByTestId('launch-submit')).toBeHidden();

  const card = page.getByTestId('app-session').first();
  await expect(card.getByText('Jupyter Notebook')).toBeVisible();
  await expect(card.getByTestId('app-session-state')).toHaveText('Running', { timeout: 180_000 });
  await expect(card.getByTestId('app-session-message')).toContainText('running on');
  await shot(page, 'apps-session-running');

  const popup = page.waitForEvent('popup');
  await card.getByTestId('app-connect').click();
  const tab = await popup;
  await tab.waitForURL(/\/proxy\/[0-9a-f]{32}\/tree/);
  await expect(tab).toHaveTitle(/Jupyter|Home/, { timeout: 60_000 });
  await shot(tab, 'apps-jupyter-through-proxy');
  await tab.close();

  await card.getByTestId('app-cancel').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await expect(card.getByTestId('app-session-state')).toHaveText('Ended', { timeout: 60_000 });
  await expect(card.getByTestId('app-session-message')).toHaveText('cancelled by you');
  await expect(card.getByTestId('app-relaunch')).toBeVisible();
  await shot(page, 'apps-session-ended');
});

test('the user opens a remote desktop in the browser (noVNC through the proxy)', async ({ page }) => {
  await login(page, USER, USER_PASSWORD);
  await page.getByTestId('lang-switch').getByText('English').click();
  await page.goto('/apps');
  await page.getByTestId('app-desktop').getByTestId('app-launch').click();
  await expect(page.getByTestId('field-account')).toBeVisible();
  await page.getByTestId('launch-submit').click();
  await expect(page.getByTestId('launch-submit')).toBeHidden();
  const card = page.getByTestId('app-session').first();
  await expect(card.getByText('Remote desktop')).toBeVisible();
  await expect(card.getByTestId('app-session-state')).toHaveText('Running', { timeout: 120_000 });

  const popup = page.waitForEvent('popup');
  await card.getByTestId('app-connect').click();
  const tab = await popup;
  await tab.waitForURL(/\/proxy\/[0-9a-f]{32}\/vnc\.html/);
  // noVNC marks the page once the VNC handshake (with the session's password) went through
  await expect(tab.locator('html.noVNC_connected')).toHaveCount(1, { timeout: 60_000 });
  await shot(tab, 'apps-desktop-through-proxy');
  await tab.close();

  await card.getByTestId('app-cancel').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await expect(card.getByTestId('app-session-state')).toHaveText('Ended', { timeout: 60_000 });
});

test('a platform admin sees everyone\'s app sessions', async ({ page }) => {
  await login(page, ADMIN, ADMIN_PASSWORD);
  await page.getByTestId('lang-switch').getByText('English').click();
  await page.goto('/admin/app-sessions');
  const table = page.getByTestId('app-sessions-admin');
  await expect(table.getByRole('cell', { name: USER }).first()).toBeVisible();
  await expect(table.getByText('cancelled by you').first()).toBeVisible();
  await shot(page, 'apps-admin-sessions');
});
