import { Backend, freePort, launch, openGmail, compose, sleep } from '/work/wt-9/extension/e2e/harness';
const backend = new Backend(await freePort());
await backend.start();
const browser = await launch({ backendUrl: backend.url });
const page = await openGmail(browser, process.argv[2] ?? '');
page.on('console', (m) => console.log('console:', m.text()));
await page.click('[data-fx=reply]');
const c = compose(page, 'reply');
await c.body.click({ position: { x: 4, y: 4 } });
await page.keyboard.press('Control+Home');
await page.keyboard.type('Thanks so much, Jordan! Could we talk for 20 minutes next week?');
await sleep(1500);
await backend.stop();
await c.body.click({ position: { x: 4, y: 4 } });
await page.keyboard.press('Control+Home');
await page.keyboard.press('End');
await page.keyboard.type(' Are there any openings on your team?');
await sleep(2000);
console.log('status', await c.status.allInnerTexts());
await backend.start();
for (let i = 0; i < 10; i++) {
  await sleep(1500);
  console.log(i, await c.panel.locator('.finding').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule'))), await c.status.allInnerTexts());
}
console.log(await c.body.innerText());
await browser.close(); await backend.dispose();
