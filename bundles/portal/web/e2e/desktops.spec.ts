import { expect, test } from '@playwright/test';
import { login, shot, USER, USER_PASSWORD } from './support';

// Login-node desktops as a user takes them: the Desktops page lists the two desktops LoginDesktopsIT started for
// the user (the per-user maximum), one opens in noVNC through the proxy and shows the desktop's own pixels, one is
// ended from the page. Run by LoginDesktopsIT (DESKTOPS_E2E=1), which starts the desktops and checks the processes.
test.skip(!process.env.DESKTOPS_E2E, 'run by LoginDesktopsIT, which prepares the user and the desktops');

test('the user opens a login-node desktop in the browser and ends another', async ({ page }) => {
  await login(page, USER, USER_PASSWORD);
  await page.getByTestId('lang-switch').getByText('English').click();
  await page.goto('/desktops');
  const desktops = page.getByTestId('desktop');
  await expect(desktops).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('desktop-count')).toHaveText('2 of at most 2 desktops');
  await expect(page.getByTestId('desktop-create')).toBeDisabled();
  await shot(page, 'desktops-list');

  const first = desktops.filter({ hasText: `Display :${process.env.DESKTOP_DISPLAY} on` });
  const popup = page.waitForEvent('popup');
  await first.getByTestId('desktop-connect').click();
  const tab = await popup;
  await tab.waitForURL(/\/proxy\/[0-9a-f]{32}\/vnc\.html/);
  // noVNC marks the page once the VNC handshake (with the desktop's password) went through
  await expect(tab.locator('html.noVNC_connected')).toHaveCount(1, { timeout: 60_000 });
  // the canvas shows the desktop's background (xsetroot #3b6e8f), drawn by the VNC server, not a blank page
  await expect
    .poll(
      () =>
        tab.evaluate(() => {
          const canvas = document.querySelector('canvas');
          const ctx = canvas?.getContext('2d');
          if (!canvas || !ctx || canvas.width < 100) return 0;
          const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
          let background = 0;
          for (let i = 0; i < d.length; i += 4 * 101) {
            if (Math.abs(d[i] - 0x3b) < 8 && Math.abs(d[i + 1] - 0x6e) < 8 && Math.abs(d[i + 2] - 0x8f) < 8) background++;
          }
          return background;
        }),
      { timeout: 30_000 },
    )
    .toBeGreaterThan(1000);
  await shot(tab, 'desktops-novnc-through-proxy');
  await tab.close();

  const second = desktops.filter({ hasNotText: `Display :${process.env.DESKTOP_DISPLAY} on` });
  await second.getByTestId('desktop-kill').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await expect(desktops).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('desktop-create')).toBeEnabled();
  await shot(page, 'desktops-after-end');
});
