// The policies every tenant starts with (seeded the first time its SLA policies are used).
//
// Response: the service desk's table, by symptom and the class (1, 2, 3) of the ticket's service,
// around the clock. There is no CMDB yet: the condition reads `service.serviceClass`, which the
// SLA module gives as the service's class once a CMDB names one, else 3 (a ticket without a
// service, or a service of no known class, is class 3). A ticket without a symptom counts as
// `other`. Resolution: by priority, P1 and P2 around the clock, P3 to P5 on calendar `default`.
import type { CreateSlaPolicyBody } from '@serviceloom/contracts';

const RESPONSE_MINUTES: Record<string, [number, number, number]> = {
  system_down: [10, 15, 30],
  cannot_access: [15, 20, 40],
  slow: [20, 30, 60],
  other: [60, 120, 240],
};

const RESOLUTION: Array<[number, string, string | null]> = [
  [1, 'PT4H', null],
  [2, 'PT8H', null],
  [3, 'PT27H', 'default'],
  [4, 'PT45H', 'default'],
  [5, 'PT90H', 'default'],
];

const symptomIs = (symptom: string) => (symptom === 'other' ? '(symptom = "other" or symptom = null)' : `symptom = "${symptom}"`);

export const DEFAULT_POLICIES: CreateSlaPolicyBody[] = [
  ...Object.entries(RESPONSE_MINUTES).flatMap(([symptom, minutes]) =>
    minutes.map((m, i) => ({
      id: `response-${symptom}-class${i + 1}`,
      name: `Response: ${symptom.replace('_', ' ')}, service class ${i + 1}`,
      ticketType: 'incident' as const,
      kind: 'response' as const,
      condition: `${symptomIs(symptom)} and service.serviceClass = ${i + 1}`,
      target: m >= 60 && m % 60 === 0 ? `PT${m / 60}H` : `PT${m}M`,
      calendar: null,
    })),
  ),
  ...RESOLUTION.map(([priority, target, calendar]) => ({
    id: `resolution-p${priority}`,
    name: `Resolution: P${priority}`,
    ticketType: 'incident' as const,
    kind: 'resolution' as const,
    condition: `priority = ${priority}`,
    target,
    calendar,
  })),
];
