import { describe, expect, it } from 'vitest';
import { isInsideWindow, nextInsideWindow } from '../../../core/outbox/send-window.ts';

const day = { start: '08:00', end: '21:00' };
const night = { start: '22:00', end: '06:00' };

describe('send window in Asia/Shanghai', () => {
  const tz = 'Asia/Shanghai';
  it.each([
    ['2026-11-22T00:00:00Z', true], // 08:00 local: opens
    ['2026-11-21T23:59:00Z', false], // 07:59
    ['2026-11-22T12:59:00Z', true], // 20:59
    ['2026-11-22T13:00:00Z', false], // 21:00: closed
    ['2026-11-22T16:00:00Z', false], // 00:00 midnight
  ])('%s inside 08:00–21:00: %s', (instant, inside) => {
    expect(isInsideWindow(new Date(instant), day, tz)).toBe(inside);
  });

  it('holds a 21:30 message to 08:00 the next morning', () => {
    expect(nextInsideWindow(new Date('2026-11-22T13:30:00Z'), day, tz).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it('holds a message after midnight to 08:00 the same morning', () => {
    expect(nextInsideWindow(new Date('2026-11-22T17:10:00Z'), day, tz).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it('leaves an instant inside the window as it is', () => {
    const at = new Date('2026-11-22T05:00:00Z');
    expect(nextInsideWindow(at, day, tz)).toBe(at);
  });

  it('handles a window that crosses midnight', () => {
    expect(isInsideWindow(new Date('2026-11-22T15:00:00Z'), night, tz)).toBe(true); // 23:00
    expect(isInsideWindow(new Date('2026-11-21T21:00:00Z'), night, tz)).toBe(true); // 05:00
    expect(isInsideWindow(new Date('2026-11-22T04:00:00Z'), night, tz)).toBe(false); // 12:00
    expect(nextInsideWindow(new Date('2026-11-22T04:00:00Z'), night, tz).toISOString()).toBe('2026-11-22T14:00:00.000Z');
  });
});

describe('send window in America/New_York across daylight saving', () => {
  const tz = 'America/New_York';
  it('spring forward (8 March 2026): 08:00 EDT is 12:00 UTC', () => {
    // 21:30 EST on 7 March → 08:00 EDT on 8 March.
    expect(nextInsideWindow(new Date('2026-03-08T02:30:00Z'), day, tz).toISOString()).toBe('2026-03-08T12:00:00.000Z');
  });

  it('fall back (1 November 2026): 08:00 EST is 13:00 UTC', () => {
    // 22:00 EDT on 31 October → 08:00 EST on 1 November.
    expect(nextInsideWindow(new Date('2026-11-01T02:00:00Z'), day, tz).toISOString()).toBe('2026-11-01T13:00:00.000Z');
  });

  it('treats the repeated 01:00 hour of fall back as night', () => {
    expect(isInsideWindow(new Date('2026-11-01T05:30:00Z'), day, tz)).toBe(false); // 01:30 EDT
    expect(isInsideWindow(new Date('2026-11-01T06:30:00Z'), day, tz)).toBe(false); // 01:30 EST
  });

  it('moves a start inside the spring-forward gap forward with the clocks', () => {
    const gap = { start: '02:30', end: '06:00' };
    expect(nextInsideWindow(new Date('2026-03-08T05:00:00Z'), gap, tz).toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });
});
