// The ITSM defaults docs/itsm-api.md gives, as data for seeding a tenant (each is the tenant's to change).

export const SETTINGS = {
  'itsm.autoCloseDays': 3,
  'itsm.firstLineGroup': 'service-desk',
  'itsm.defaultCalendar': 'default',
} as const;

/** Priority by impact, then urgency (1 high .. 3 low): 1 critical .. 5 planning. */
export const PRIORITY_MATRIX: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  '1': { '1': 1, '2': 2, '3': 3 },
  '2': { '1': 2, '2': 3, '3': 4 },
  '3': { '1': 3, '2': 4, '3': 5 },
};

/** Calendar `default`: Monday to Friday, 09:00 to 18:00, in the tenant's time zone (UTC unless set). */
export const DEFAULT_CALENDAR = {
  id: 'default',
  name: 'Default',
  week: {
    mon: [['09:00', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
  },
  holidays: [] as string[],
  workdays: [] as string[],
};

export interface SlaPolicyTemplate {
  id: string;
  name: string;
  ticketType: 'incident';
  kind: 'response' | 'resolution';
  condition: string;
  target: string;
  calendar?: string;
}

const RESPONSE_MINUTES: Record<string, [number, number, number]> = {
  system_down: [10, 15, 30],
  cannot_access: [15, 20, 40],
  slow: [20, 30, 60],
  other: [60, 120, 240],
};

/** A ticket without a service counts as class 3. */
const ofClass = (c: number) => (c === 3 ? '(service = null or service.serviceClass = 3)' : `service.serviceClass = ${c}`);

/** Response targets around the clock by symptom and service class; resolution by priority. */
export const SLA_POLICIES: readonly SlaPolicyTemplate[] = [
  ...Object.entries(RESPONSE_MINUTES).flatMap(([symptom, minutes]) =>
    minutes.map((m, i) => ({
      id: `response-${symptom}-class${i + 1}`,
      name: `Response: ${symptom}, service class ${i + 1}`,
      ticketType: 'incident' as const,
      kind: 'response' as const,
      condition: `symptom = "${symptom}" and ${ofClass(i + 1)}`,
      target: `PT${m}M`,
    })),
  ),
  ...[
    [1, 'PT4H', undefined],
    [2, 'PT8H', undefined],
    [3, 'PT27H', 'default'],
    [4, 'PT45H', 'default'],
    [5, 'PT90H', 'default'],
  ].map(([p, target, calendar]) => ({
    id: `resolution-p${p}`,
    name: `Resolution: priority ${p}`,
    ticketType: 'incident' as const,
    kind: 'resolution' as const,
    condition: `priority = ${p}`,
    target: target as string,
    ...(calendar ? { calendar: calendar as string } : {}),
  })),
];

/** Approvals: everyone must approve, one rejection rejects; reminder and escalation in business days. */
export const APPROVAL_POLICY = { reminderAfterDays: 2, escalateAfterDays: 3, calendar: 'default' } as const;

/** Who authorises a change in state `authorize` (the approvals module runs it). */
export const CHANGE_AUTHORIZATION = {
  normal: { group: 'cab', policy: 'all' },
  emergency: { group: 'ecab', policy: 'any' },
} as const;

/** Problem detection: 3 incidents on the same CI within 7 days raise a problem. */
export const PROBLEM_RULES = [{ id: 'same-ci', match: 'ci', threshold: 3, window: 'P7D' }] as const;
