/**
 * Test helper: a jsdom document for hook tests. jsdom is a dependency of this package only (not
 * hoisted), so vitest's `environment: 'jsdom'` cannot resolve it from the root; we install the
 * globals React DOM needs by hand instead, before @testing-library/react is imported.
 */
import { JSDOM } from 'jsdom';

/** Installs `window`, `document` and `navigator` from a fresh jsdom (idempotent). */
export function installDom(): void {
  if (typeof globalThis.document !== 'undefined') return;
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/' });
  const g = globalThis as Record<string, unknown>;
  g.window = dom.window;
  g.document = dom.window.document;
  g.navigator = dom.window.navigator;
  g.HTMLElement = dom.window.HTMLElement;
  g.IS_REACT_ACT_ENVIRONMENT = true;
}
