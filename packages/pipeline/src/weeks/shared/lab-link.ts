import type { ReportLink } from '@rdl/eval';

/**
 * The browser lab's page for a week (apps/web), linked from the week's report. Reports sit in
 * artifacts/<pipeline>/<stage>/outputs/, four folders below the workspace root; the page exists
 * once `npx nx run web:build` has run.
 */
export function labLink(page: 'week2' | 'week3', text: string): ReportLink {
  return {
    text: `${text} (apps/web/dist/${page}.html, built by \`npx nx run web:build\`)`,
    href: `../../../../apps/web/dist/${page}.html`,
  };
}
