// Where the runtime reads the time. Tests move a TestClock forward instead of waiting.
export interface Clock {
  now(): number;
}

export const realClock: Clock = { now: () => Date.now() };

/** Real time plus an offset that only grows (from a start instant, for replaying history). */
export class TestClock implements Clock {
  private offset: number;

  constructor(startAt?: number) {
    this.offset = startAt === undefined ? 0 : startAt - Date.now();
  }

  now(): number {
    return Date.now() + this.offset;
  }

  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError('the clock only moves forward');
    this.offset += ms;
    return this.now();
  }
}

export const iso = (ms: number) => new Date(ms).toISOString();
