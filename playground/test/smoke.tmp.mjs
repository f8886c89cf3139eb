import { start } from './browser.js';
const b = await start();
await b.page.goto(b.url);
await b.page.waitForTimeout(3000);
console.log('error:', await b.page.textContent('#error'), '| status:', await b.page.textContent('#status'));
console.log(b.consoleErrors);
await b.close();
