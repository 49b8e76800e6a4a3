/**
 * Headless Chromium for the page tests: the binary ships inside an npm package (@sparticuz/chromium,
 * unpacked to the temp dir on first use), so `npm ci && npm test` needs no browser download nor a system one.
 */
import chromium from "@sparticuz/chromium";
import { type Browser, chromium as playwright } from "playwright-core";

const flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

/** Fails loudly, naming the package, when the browser cannot start: a page test never skips. */
export const launchBrowser = async (): Promise<Browser> => {
  try {
    // playwright-core gives the browser a fresh, empty profile (--user-data-dir) of its own.
    return await playwright.launch({ executablePath: await chromium.executablePath(), headless: true, args: flags });
  } catch (error) {
    throw new Error(`Headless Chromium (npm package @sparticuz/chromium, linux x64/arm64) did not start: ${String(error)}`);
  }
};
