import type { BrowserContext } from 'playwright-core';

/**
 * Record every Content-Security-Policy violation the pages of `context`
 * report: the `securitypolicyviolation` DOM event (listened for before any
 * page script runs) and Chromium's console messages about the policy.
 */
export async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding('__reportCspViolation', ({ page }, report: string) => {
    violations.push(`${page.url()}: ${report}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation: (r: string) => void }).__reportCspViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} (${e.sample})`);
    });
  });
  context.on('console', (msg) => {
    if (/content security policy/i.test(msg.text())) violations.push(`${msg.page()?.url()}: console ${msg.type()}: ${msg.text()}`);
  });
  return violations;
}
