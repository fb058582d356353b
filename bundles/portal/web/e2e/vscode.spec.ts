import { expect, test } from '@playwright/test';
import { login, shot, USER, USER_PASSWORD } from './support';

// VS Code (code-server, installed on the test machine by .ci/install-code-server.sh) as a user takes it: launch, wait
// for the card to run, connect (the card posts the session's password to code-server's /login through the proxy)
// and land on the editor itself. Run by AppsVsCodeIT (APPS_E2E=1), which prepares the user and an account.
test.skip(!process.env.APPS_E2E, 'run by AppsVsCodeIT, which prepares the user and the account');

test('the user opens VS Code through the proxy and sees its workbench', async ({ page }) => {
  await login(page, USER, USER_PASSWORD);
  await page.getByTestId('lang-switch').getByText('English').click();
  await page.goto('/apps');
  await page.getByTestId('app-vscode').getByTestId('app-launch').click();
  await expect(page.getByTestId('field-account')).toBeVisible();
  await page.getByTestId('launch-submit').click();
  await expect(page.getByTestId('launch-submit')).toBeHidden();
  const card = page.getByTestId('app-session').first();
  await expect(card.getByText('VS Code')).toBeVisible();
  await expect(card.getByTestId('app-session-state')).toHaveText('Running', { timeout: 180_000 });

  const popup = page.waitForEvent('popup');
  await card.getByTestId('app-connect').click();
  const tab = await popup;
  await tab.waitForURL(/\/proxy\/[0-9a-f]{32}\//, { timeout: 60_000 });
  // the workbench's parts are drawn only once the editor's own WebSocket to its server works through the proxy
  await expect(tab.locator('.monaco-workbench')).toBeVisible({ timeout: 90_000 });
  await expect(tab.locator('.monaco-workbench .part.activitybar')).toBeVisible({ timeout: 60_000 });
  await expect(tab.locator('.monaco-workbench .part.sidebar')).toBeVisible({ timeout: 60_000 });
  await shot(tab, 'apps-vscode-through-proxy');
  await tab.close();

  await card.getByTestId('app-cancel').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await expect(card.getByTestId('app-session-state')).toHaveText('Ended', { timeout: 60_000 });
});
