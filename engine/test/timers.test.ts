import fc from 'fast-check';
import { DateTime, Duration, Settings } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDuration, firstSchedule, nextSchedule, type Schedule } from '../src/index.ts';
import { checkTimerLiteral, parseCycle, TimerFormatError } from '../src/timer.ts';
import { bpmn, flow, HOUR, MINUTE, Run, T0 } from './harness.ts';

const at = (iso: string) => Date.parse(iso);

/** Runs `fn` as on a server whose local time zone is `zone`; the engine must not care. */
function inZone<T>(zone: string, fn: () => T): T {
  const before = Settings.defaultZone;
  Settings.defaultZone = zone;
  try {
    return fn();
  } finally {
    Settings.defaultZone = before;
  }
}

/** Every firing of a schedule, following nextSchedule until it is spent (or `max` firings). */
function firings(first: Schedule, max = 10): string[] {
  const out: string[] = [];
  for (let s: Schedule | undefined = first; s && out.length < max; s = nextSchedule(s)) out.push(s.dueAt);
  return out;
}

describe('durations', () => {
  it('adds any duration to an instant exactly as luxon does in UTC, calendar units or not', () => {
    const duration = fc
      .record({
        Y: fc.integer({ min: 0, max: 3 }),
        M: fc.integer({ min: 0, max: 14 }),
        W: fc.integer({ min: 0, max: 5 }),
        D: fc.integer({ min: 0, max: 400 }),
        H: fc.integer({ min: 0, max: 50 }),
        m: fc.integer({ min: 0, max: 90 }),
        S: fc.integer({ min: 0, max: 90 }),
        ms: fc.integer({ min: 0, max: 999 }),
      })
      .map(({ Y, M, W, D, H, m, S, ms }) => {
        const date = `${Y ? `${Y}Y` : ''}${M ? `${M}M` : ''}${W ? `${W}W` : ''}${D ? `${D}D` : ''}`;
        const time = `${H ? `${H}H` : ''}${m ? `${m}M` : ''}${S || ms ? `${S}.${String(ms).padStart(3, '0')}S` : ''}`;
        return `P${date}${time ? `T${time}` : ''}` === 'P' ? 'PT0S' : `P${date}${time ? `T${time}` : ''}`;
      });
    const instant = fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2090-01-01T00:00:00Z') });
    fc.assert(
      fc.property(instant, duration, (from, text) => {
        const luxon = DateTime.fromMillis(from, { zone: 'utc' }).plus(Duration.fromISO(text)).toUTC().toISO();
        expect(addDuration(from, text)).toBe(luxon);
      }),
      { numRuns: 2000 },
    );
  });

  it('PT4H is four hours after now', () => {
    expect(addDuration(T0, 'PT4H')).toBe('2026-01-05T13:00:00.000Z');
    expect(firstSchedule('duration', 'PT4H', T0)).toEqual({ dueAt: '2026-01-05T13:00:00.000Z' });
  });

  it('P1D is the same time on the next day, also across midnight and year end', () => {
    expect(addDuration(T0, 'P1D')).toBe('2026-01-06T09:00:00.000Z');
    expect(addDuration(at('2026-12-31T23:30:00Z'), 'P1D')).toBe('2027-01-01T23:30:00.000Z');
  });

  it('P1M is the same day next month, clamped to the last day of a shorter month', () => {
    expect(addDuration(T0, 'P1M')).toBe('2026-02-05T09:00:00.000Z');
    expect(addDuration(at('2026-01-31T09:00:00Z'), 'P1M')).toBe('2026-02-28T09:00:00.000Z');
    expect(addDuration(at('2028-01-31T09:00:00Z'), 'P1M')).toBe('2028-02-29T09:00:00.000Z'); // leap year
    expect(addDuration(at('2026-03-31T09:00:00Z'), 'P1M')).toBe('2026-04-30T09:00:00.000Z');
    expect(addDuration(at('2026-12-31T09:00:00Z'), 'P1M')).toBe('2027-01-31T09:00:00.000Z');
  });

  it('mixed durations add every part', () => {
    expect(addDuration(T0, 'P1DT2H30M')).toBe('2026-01-06T11:30:00.000Z');
    expect(addDuration(T0, 'PT90M')).toBe('2026-01-05T10:30:00.000Z');
    expect(addDuration(T0, 'PT0.5S')).toBe('2026-01-05T09:00:00.500Z');
  });

  it('a duration may also count from an ISO date given as text, keeping its offset for the arithmetic', () => {
    expect(addDuration('2026-01-05T09:00:00Z', 'PT4H')).toBe('2026-01-05T13:00:00.000Z');
    expect(addDuration('2026-01-05T10:00:00+01:00', 'PT1H')).toBe('2026-01-05T10:00:00.000Z');
  });

  it('does not depend on the time zone of the server: P1D over a DST change is still 24 hours from a given now', () => {
    // 2026-03-08 is the day US clocks spring forward; a server in New York must schedule like one in UTC.
    const now = at('2026-03-07T12:00:00Z');
    const utc = addDuration(now, 'P1D');
    expect(utc).toBe('2026-03-08T12:00:00.000Z');
    expect(inZone('America/New_York', () => addDuration(now, 'P1D'))).toBe(utc);
    expect(inZone('Europe/Berlin', () => firstSchedule('duration', 'P1M', at('2026-03-15T12:00:00Z')).dueAt)).toBe(
      '2026-04-15T12:00:00.000Z',
    );
  });
});

describe('dates', () => {
  it('a UTC date is due at that instant, whatever now is (past dates are due at once)', () => {
    expect(firstSchedule('date', '2026-02-01T08:00:00Z', T0)).toEqual({ dueAt: '2026-02-01T08:00:00.000Z' });
    expect(firstSchedule('date', '2025-01-01T00:00:00Z', T0)).toEqual({ dueAt: '2025-01-01T00:00:00.000Z' });
  });

  it('a date with an offset is converted to UTC', () => {
    expect(firstSchedule('date', '2026-02-01T10:00:00+02:00', T0).dueAt).toBe('2026-02-01T08:00:00.000Z');
    expect(firstSchedule('date', '2026-02-01T03:00:00-05:00', T0).dueAt).toBe('2026-02-01T08:00:00.000Z');
    expect(firstSchedule('date', '  2026-02-01T08:00:00.250Z ', T0).dueAt).toBe('2026-02-01T08:00:00.250Z');
  });

  it('a date without an offset is read as UTC, not in the time zone of the server', () => {
    expect(firstSchedule('date', '2026-02-01T08:00:00', T0).dueAt).toBe('2026-02-01T08:00:00.000Z');
    expect(inZone('Asia/Tokyo', () => firstSchedule('date', '2026-02-01T08:00:00', T0).dueAt)).toBe('2026-02-01T08:00:00.000Z');
  });
});

describe('cycles', () => {
  it('R3/PT1H fires three times, an hour apart, the first an hour from now', () => {
    const first = firstSchedule('cycle', 'R3/PT1H', T0);
    expect(first).toEqual({ dueAt: '2026-01-05T10:00:00.000Z', repeat: 2, every: 'PT1H' });
    expect(firings(first)).toEqual(['2026-01-05T10:00:00.000Z', '2026-01-05T11:00:00.000Z', '2026-01-05T12:00:00.000Z']);
  });

  it('R/PT1H repeats forever', () => {
    const first = firstSchedule('cycle', 'R/PT1H', T0);
    expect(first).toEqual({ dueAt: '2026-01-05T10:00:00.000Z', repeat: -1, every: 'PT1H' });
    const list = firings(first, 50);
    expect(list).toHaveLength(50);
    expect(list[49]).toBe('2026-01-07T11:00:00.000Z');
    expect(nextSchedule({ dueAt: list[49] as string, repeat: -1, every: 'PT1H' })?.repeat).toBe(-1);
  });

  it('R2/<start>/PT1H fires at the start and once more an hour later', () => {
    const first = firstSchedule('cycle', 'R2/2026-01-05T12:00:00Z/PT1H', T0);
    expect(first).toEqual({ dueAt: '2026-01-05T12:00:00.000Z', repeat: 1, every: 'PT1H' });
    expect(firings(first)).toEqual(['2026-01-05T12:00:00.000Z', '2026-01-05T13:00:00.000Z']);
  });

  it('a cycle start with an offset is converted to UTC; a start in the past is due at once', () => {
    expect(firstSchedule('cycle', 'R2/2026-01-05T12:00:00+01:00/PT30M', T0).dueAt).toBe('2026-01-05T11:00:00.000Z');
    const past = firstSchedule('cycle', 'R/2026-01-01T00:00:00Z/P1D', T0);
    expect(past.dueAt).toBe('2026-01-01T00:00:00.000Z');
    expect(firings(past, 3)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']);
  });

  it('R1 fires once; a schedule without a cycle has no next firing', () => {
    const once = firstSchedule('cycle', 'R1/PT5M', T0);
    expect(once).toEqual({ dueAt: '2026-01-05T09:05:00.000Z', repeat: 0, every: 'PT5M' });
    expect(nextSchedule(once)).toBeUndefined();
    expect(nextSchedule(firstSchedule('duration', 'PT5M', T0))).toBeUndefined();
  });

  it('a cycle that fell behind fires once for the firings it missed, then on its own phase after now', () => {
    const past = firstSchedule('cycle', 'R/2000-01-01T00:00:00Z/PT1S', T0);
    expect(past.dueAt).toBe('2000-01-01T00:00:00.000Z');
    // Fired at T0 (09:00:00 on 2026-01-05): the next is the next whole second of the cycle after it.
    expect(nextSchedule(past, T0)).toEqual({ dueAt: '2026-01-05T09:00:01.000Z', repeat: -1, every: 'PT1S' });
    const hourly = firstSchedule('cycle', 'R5/2026-01-01T00:30:00Z/PT1H', T0);
    expect(nextSchedule(hourly, T0)).toEqual({ dueAt: '2026-01-05T09:30:00.000Z', repeat: 3, every: 'PT1H' });
    // A calendar interval has no fixed phase: one interval from now.
    expect(nextSchedule(firstSchedule('cycle', 'R/2025-01-01T00:00:00Z/P1M', T0), T0)?.dueAt).toBe('2026-02-05T09:00:00.000Z');
    // On time (or early), now changes nothing.
    const onTime = firstSchedule('cycle', 'R/PT1H', T0);
    expect(nextSchedule(onTime, Date.parse(onTime.dueAt))).toEqual(nextSchedule(onTime));
  });

  it('parseCycle splits a cycle into repetitions, start and interval', () => {
    expect(parseCycle('R3/PT1H')).toEqual({ repeat: 3, every: 'PT1H' });
    expect(parseCycle('R/P1D')).toEqual({ repeat: -1, every: 'P1D' });
    expect(parseCycle('R2/2026-01-05T12:00:00Z/PT1H')).toEqual({ repeat: 2, start: '2026-01-05T12:00:00Z', every: 'PT1H' });
  });
});

describe('invalid timer values', () => {
  it('say what is wrong and show a valid example', () => {
    expect(() => addDuration(T0, '4 hours')).toThrow(new TimerFormatError('"4 hours" is not an ISO 8601 duration such as PT4H'));
    expect(() => firstSchedule('duration', 'PT4X', T0)).toThrow('"PT4X" is not an ISO 8601 duration such as PT4H');
    expect(() => firstSchedule('date', 'tomorrow', T0)).toThrow('"tomorrow" is not an ISO 8601 date-time such as 2026-01-01T09:00:00Z');
    expect(() => firstSchedule('cycle', 'every hour', T0)).toThrow('"every hour" is not an ISO 8601 repeating interval such as R3/PT1H');
    expect(() => firstSchedule('cycle', 'PT1H', T0)).toThrow('is not an ISO 8601 repeating interval such as R3/PT1H');
    expect(() => firstSchedule('cycle', 'R3/PT1H/PT1H/PT1H', T0)).toThrow('is not an ISO 8601 repeating interval');
    expect(() => firstSchedule('cycle', 'Rx/PT1H', T0)).toThrow('is not an ISO 8601 repeating interval');
    expect(() => firstSchedule('cycle', 'R0/PT1H', T0)).toThrow('"R0/PT1H" repeats zero times');
    expect(() => firstSchedule('cycle', 'R3/PT1X', T0)).toThrow('"PT1X" is not an ISO 8601 duration such as PT4H');
    expect(() => firstSchedule('cycle', 'R3/soon/PT1H', T0)).toThrow('"soon" is not an ISO 8601 date-time');
  });

  it('a cycle of no time or of negative time is refused: it would fire without end at one instant', () => {
    expect(() => parseCycle('R/PT0S')).toThrow(
      new TimerFormatError('"R/PT0S" repeats every PT0S: a cycle\'s interval must be longer than zero'),
    );
    expect(() => parseCycle('R/PT-1S')).toThrow('"R/PT-1S" repeats every PT-1S: a cycle\'s interval must be longer than zero');
    expect(() => parseCycle('R3/2026-01-01T00:00:00Z/P0D')).toThrow("a cycle's interval must be longer than zero");
    expect(() => parseCycle('R/P1DT-24H')).toThrow("a cycle's interval must be longer than zero");
    expect(checkTimerLiteral('cycle', 'R/PT0S')).toBe('"R/PT0S" repeats every PT0S: a cycle\'s interval must be longer than zero');
    // A zero duration (not a cycle) is fine: it fires once, at once.
    expect(checkTimerLiteral('duration', 'PT0S')).toBeUndefined();
  });

  it('a zero or negative cycle is refused when the model is compiled, naming the element', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT-1S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      ${flow('f1', 'tick', 'end')}
      <bpmn:endEvent id="end"/>`);
    await expect(Run.start(xml)).rejects.toMatchObject({
      name: 'DefinitionError',
      problems: [
        {
          elementId: 'tick',
          message: `the timer's cycle is invalid: "R/PT-1S" repeats every PT-1S: a cycle's interval must be longer than zero`,
        },
      ],
    });
  });

  it('checkTimerLiteral returns the problem instead of throwing', () => {
    expect(checkTimerLiteral('duration', 'PT4H')).toBeUndefined();
    expect(checkTimerLiteral('date', '2026-01-01T09:00:00Z')).toBeUndefined();
    expect(checkTimerLiteral('cycle', 'R/PT1H')).toBeUndefined();
    expect(checkTimerLiteral('duration', 'soon')).toBe('"soon" is not an ISO 8601 duration such as PT4H');
    expect(checkTimerLiteral('cycle', 'R0/PT1H')).toBe('"R0/PT1H" repeats zero times');
  });

  it('a literal invalid timer is refused when the model is compiled, naming the element', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'wait')}
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>4 hours</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${flow('f2', 'wait', 'end')}
      <bpmn:endEvent id="end"/>`);
    await expect(Run.start(xml)).rejects.toMatchObject({
      name: 'DefinitionError',
      problems: [{ elementId: 'wait', message: `the timer's duration is invalid: "4 hours" is not an ISO 8601 duration such as PT4H` }],
    });
  });

  it('a FEEL timer giving an invalid value holds the token with a fault instead of failing the step', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'wait')}
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>=delay</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${flow('f2', 'wait', 'end')}
      <bpmn:endEvent id="end"/>`),
      { delay: 'soon' },
    );
    expect(run.status).toBe('active');
    expect(run.effectsOf('timerScheduled')).toEqual([]);
    expect(run.effectsOf('faultRaised')).toEqual([
      {
        type: 'faultRaised',
        faultId: expect.any(String),
        elementId: 'wait',
        message: 'the timer of "wait" gave "soon": "soon" is not an ISO 8601 duration such as PT4H',
      },
    ]);
  });
});

describe('timers of an instance', () => {
  it('fire in due order when the clock jumps past several of them', async () => {
    const catchTimer = (id: string, duration: string) =>
      `<bpmn:intermediateCatchEvent id="${id}"><bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f0', 'start', 'fork')}
      <bpmn:parallelGateway id="fork"/>
      ${flow('fa', 'fork', 'three')}
      ${flow('fb', 'fork', 'one')}
      ${flow('fc', 'fork', 'two')}
      ${catchTimer('three', 'PT3H')}
      ${catchTimer('one', 'PT1H')}
      ${catchTimer('two', 'PT2H')}
      ${flow('fa2', 'three', 'endThree')}
      ${flow('fb2', 'one', 'endOne')}
      ${flow('fc2', 'two', 'endTwo')}
      <bpmn:endEvent id="endThree"/>
      <bpmn:endEvent id="endOne"/>
      <bpmn:endEvent id="endTwo"/>`),
    );
    expect(run.effectsOf('timerScheduled').map((e) => [e.elementId, e.dueAt])).toEqual([
      ['three', '2026-01-05T12:00:00.000Z'],
      ['one', '2026-01-05T10:00:00.000Z'],
      ['two', '2026-01-05T11:00:00.000Z'],
    ]);
    run.advance(5 * HOUR);
    expect(run.status).toBe('completed');
    expect(run.completed()).toEqual(['start', 'fork', 'one', 'endOne', 'two', 'endTwo', 'three', 'endThree']);
  });

  it('count from when the catch is reached, not from when the instance started', async () => {
    const run = await Run.start(
      bpmn(`
      <bpmn:startEvent id="start"/>
      ${flow('f1', 'start', 'work')}
      <bpmn:userTask id="work"/>
      ${flow('f2', 'work', 'wait')}
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${flow('f3', 'wait', 'end')}
      <bpmn:endEvent id="end"/>`),
    );
    run.advance(2 * HOUR + 30 * MINUTE);
    run.completeTask('work');
    expect(run.effectsOf('timerScheduled')).toEqual([
      { type: 'timerScheduled', timerId: expect.any(String), elementId: 'wait', dueAt: '2026-01-05T12:30:00.000Z' },
    ]);
    run.advance(59 * MINUTE);
    expect(run.status).toBe('active');
    run.advance(MINUTE);
    expect(run.status).toBe('completed');
  });
});
