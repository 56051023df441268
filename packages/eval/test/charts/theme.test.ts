import { describe, expect, it } from 'vitest';
import { METHOD_COLORS, canonicalMethod, seriesColors } from '../../src/charts/theme.js';

describe('theme', () => {
  it('maps method spellings to one fixed colour', () => {
    expect(canonicalMethod('MC Dropout')).toBe('MC dropout');
    expect(canonicalMethod('mc_dropout (T=100)')).toBe('MC dropout');
    expect(canonicalMethod('Deterministic')).toBe('MAP');
    expect(canonicalMethod('VI (100 samples)')).toBe('VI');
    expect(canonicalMethod('something else')).toBeUndefined();
    const c = seriesColors(['ODIN', 'mystery', 'MCP']);
    expect(c[0]).toBe(METHOD_COLORS.ODIN);
    expect(c[2]).toBe(METHOD_COLORS.MCP);
    expect(c[1]).not.toBe(c[0]);
    expect(c[1]).not.toBe(c[2]);
  });

  it('gives a second series of the same method its own colour', () => {
    const c = seriesColors(['MCP', 'MC dropout', 'ConfidNet', 'MC dropout (own errors)', 'ODIN', 'ODIN (OOD-free)']);
    expect(c[1]).toBe(METHOD_COLORS['MC dropout']);
    expect(c[4]).toBe(METHOD_COLORS.ODIN);
    expect(new Set(c).size).toBe(6);
  });
});
