import { describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/core/format.js';

describe('formatUsd', () => {
  it('prints cents with grouped thousands, the same on every locale', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.682875)).toBe('$0.68');
    expect(formatUsd(1234567.891)).toBe('$1,234,567.89');
    expect(formatUsd(-12.5)).toBe('-$12.50');
  });

  it('never prints a real sub-cent amount as $0.00', () => {
    expect(formatUsd(0.0042)).toBe('$0.004');
    expect(formatUsd(0.000123)).toBe('$0.0001');
    expect(formatUsd(0.00004)).toBe('<$0.0001');
    expect(formatUsd(-0.003)).toBe('-$0.003');
    expect(formatUsd(0.005)).toBe('$0.01');
  });
});
