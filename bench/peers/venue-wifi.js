// W10: what a phone on venue Wi-Fi waits for. Drives Debian's Chromium through playwright-core
// with Chromium's own network and CPU emulation (1.6 Mbps down, 750 kbps up, 150 ms latency, a
// CPU 4x slower), an empty cache each time, and reports in milliseconds from navigation:
//   form:   the join page usable (the server's plain HTML form, before any WebAssembly),
//   client: the client started (its join page mounted),
//   agenda: for a person who joined before, the agenda shown by the client.
// Usage: node venue-wifi.js BASE_URL EVENT_CODE TOKEN RUNS   (prints one JSON line)
const { chromium } = require("playwright-core");

const [base, code, token, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 3);

async function throttled(browser) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6e6 / 8),
    uploadThroughput: (0.75e6 / 8),
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  return { context, page };
}

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  const out = { form: [], client: [], agenda: [] };
  try {
    for (let i = 0; i < runs; i++) {
      {
        const { context, page } = await throttled(browser);
        const start = Date.now();
        await page.goto(`${base}/e/${code}`, { waitUntil: "commit" });
        await page.waitForSelector("form[action='/join'] #code", { state: "visible" });
        out.form.push(Date.now() - start);
        // The client's join page has the language switch the plain form lacks.
        await page.waitForSelector(".join-top button[data-locale]", { timeout: 120000 });
        out.client.push(Date.now() - start);
        await context.close();
      }
      {
        const { context, page } = await throttled(browser);
        await context.addInitScript(([c, t]) => {
          localStorage.setItem(`plenum.token.${c}`, t);
        }, [code, token]);
        const start = Date.now();
        await page.goto(`${base}/e/${code}`, { waitUntil: "commit" });
        await page.waitForSelector(".agenda .slot", { timeout: 120000 });
        out.agenda.push(Date.now() - start);
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
