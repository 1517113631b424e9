// Drives headless Firefox ESR for the end-to-end test: puppeteer-core over WebDriver BiDi (no
// geckodriver). Opens the URL given, then answers one JSON command per stdin line with one JSON
// line on stdout: {"eval": body, "args": [...]} runs a function body in the page (its arguments are
// the args); {"click": "#id"}; {"logs": true} returns the console lines so far; {"quit": true}.
import puppeteer from 'puppeteer-core';
import readline from 'node:readline';

const [url, executablePath = '/usr/bin/firefox-esr', profile] = process.argv.slice(2);
const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath,
  headless: true,
  userDataDir: profile,
  extraPrefsFirefox: {
    'media.navigator.streams.fake': true,
    'media.navigator.permission.disabled': true,
    'media.navigator.audio.fake_frequency': 1000,
    'media.autoplay.default': 0,
    'media.autoplay.blocking_policy': 0,
    'media.autoplay.block-webaudio': false,
    'network.captive-portal-service.enabled': false,
    'app.update.enabled': false,
  },
});
const page = await browser.newPage();
const logs = [];
page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
await page.goto(url);
// A user gesture, as a person's first click gives: Web Audio may then start (the test listens to the mix).
await page.mouse.click(2, 2);
console.log(JSON.stringify({ ready: true, version: await browser.version() }));

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  let reply;
  try {
    const cmd = JSON.parse(line);
    if (cmd.quit) {
      break;
    } else if (cmd.eval) {
      // An async function body: it may await (and a plain one works the same).
      reply = { value: await page.evaluate((body, args) => {
        const AsyncFunction = (async () => {}).constructor;
        return new AsyncFunction(body).apply(null, args);
      }, cmd.eval, cmd.args || []) };
    } else if (cmd.click) {
      await page.click(cmd.click);
      reply = { value: true };
    } else if (cmd.logs) {
      reply = { value: logs };
    } else {
      reply = { error: 'unknown command' };
    }
  } catch (e) {
    reply = { error: String(e && e.message || e) };
  }
  console.log(JSON.stringify(reply === undefined ? { value: null } : reply));
}
await browser.close();
process.exit(0);
