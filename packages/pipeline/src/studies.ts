import type { Study } from './core/study.js';
import { week2Study } from './weeks/week2/study.js';
import { week3Study } from './weeks/week3/study.js';

/** Every multi-seed study (`<week>-study`); the Nx targets of each are generated from its week's config. */
export const allStudies: readonly Study[] = [week2Study, week3Study];

export function findStudy(name: string): Study | undefined {
  return allStudies.find((s) => s.name === name);
}
