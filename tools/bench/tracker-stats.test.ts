import { describe, expect, it } from 'vitest';
import { clockTicksPerSecond, cpuTicksFromStat, cpuTicksOf, memoryOf } from './tracker-child.js';
import { percentilesOf } from './tracker-stats.js';

describe('percentilesOf', () => {
  it('takes nearest-rank values that were observed', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted
    expect(percentilesOf(values)).toEqual({
      p50Ms: 50,
      p90Ms: 90,
      p99Ms: 99,
      maxMs: 100,
      meanMs: 50.5,
    });
  });

  it('gives the maximum as p99 below a hundred values', () => {
    const stats = percentilesOf([3, 1, 2]);
    expect([stats.p50Ms, stats.p90Ms, stats.p99Ms, stats.maxMs]).toEqual([2, 3, 3, 3]);
  });

  it('is NaN for no values', () => {
    expect(Number.isNaN(percentilesOf([]).p99Ms)).toBe(true);
  });
});

describe('/proc readings', () => {
  it('reads utime + stime after a command name with spaces and parentheses', () => {
    const stat =
      '4242 (node (ctt) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 17 5 0 0 20 0 11 0 123 456 789';
    expect(cpuTicksFromStat(stat)).toBe(22);
  });

  it('agrees with the process’s own CPU accounting', () => {
    const ticksPerSecond = clockTicksPerSecond();
    const startTicks = cpuTicksOf(process.pid);
    const start = process.cpuUsage();
    let spent = 0;
    let x = 0;
    while (spent < 300_000) {
      for (let i = 0; i < 1e5; i++) x += Math.sqrt(i);
      const used = process.cpuUsage(start);
      spent = used.user + used.system;
    }
    const procMs = ((cpuTicksOf(process.pid) - startTicks) / ticksPerSecond) * 1_000;
    const ownMs = spent / 1_000;
    expect(x).toBeGreaterThan(0);
    // Both come from the kernel's task accounting; ticks round to one tick at each end.
    expect(Math.abs(procMs - ownMs)).toBeLessThanOrEqual((2 * 1_000) / ticksPerSecond + 20);
  });

  it('reads the resident set and its high-water mark', () => {
    const { rssMb, hwmMb } = memoryOf(process.pid);
    expect(rssMb).toBeGreaterThan(1);
    expect(hwmMb).toBeGreaterThanOrEqual(rssMb);
  });
});
