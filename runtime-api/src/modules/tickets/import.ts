// Imports another tool's ticket history: a CSV in ServiceNow's incident export columns. Each row
// is one update of a ticket; the last row of each number is the ticket as it stands. Imported
// tickets start no process (their life happened elsewhere) but count in lists and reports.
// Re-importing a number replaces that ticket; numbers created later continue above the highest.
import type { ImportReply, TicketType } from '@serviceloom/contracts';
import { parse } from 'csv-parse/sync';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Transactions } from '../../platform/db/transactions.ts';
import { badRequest } from '../../platform/errors.ts';
import { raiseCounter } from './numbers.ts';
import { TYPE_OF_PREFIX } from './rows.ts';

/** Rows written per statement (and per transaction, so one import never holds the database long). */
const BATCH = 500;
const NUMBER = /^(INC|REQ|PRB|CHG|RLS)(\d{7,})$/;
/** Columns read into the ticket's own columns; every other non-empty one goes to `fields`. */
const OWN_COLUMNS = new Set([
  'number',
  'incident_state',
  'opened_at',
  'resolved_at',
  'closed_at',
  'sys_updated_at',
  'priority',
  'impact',
  'urgency',
  'category',
  'subcategory',
  'u_symptom',
  'cmdb_ci',
  'reassignment_count',
  'reopen_count',
  'made_sla',
  'closed_code',
  'short_description',
  'description',
]);

/** ServiceNow's incident states, as this tool's. */
function stateOf(value: string): string | undefined {
  if (value === 'New') return 'new';
  if (value === 'Active' || value === 'In Progress') return 'in_progress';
  if (value.startsWith('Awaiting') || value === 'On Hold') return 'on_hold';
  if (value === 'Resolved') return 'resolved';
  if (value === 'Closed') return 'closed';
  if (value === 'Canceled' || value === 'Cancelled') return 'cancelled';
  return undefined;
}

const missing = (v: string | undefined) => v === undefined || v === '' || v === '?';

/** `DD-MM-YYYY HH:MM` (or with seconds), read as UTC; `?` is null. */
function instantOf(value: string | undefined, column: string): string | null {
  if (missing(value)) return null;
  const m = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value as string);
  if (!m) throw new Error(`"${column}" is not a DD-MM-YYYY HH:MM time: "${value}"`);
  const [, dd, mm, yyyy, hh, mi, ss] = m;
  const at = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd), Number(hh), Number(mi), Number(ss ?? 0)));
  if (at.getUTCDate() !== Number(dd) || at.getUTCMonth() !== Number(mm) - 1)
    throw new Error(`"${column}" is not a calendar date: "${value}"`);
  return at.toISOString();
}

/** The leading digit of `2 - Medium`, as given (not recomputed from the matrix). */
function levelOf(value: string | undefined, column: string, max: number, fallback: number): number {
  if (missing(value)) return fallback;
  const n = Number(/^\s*(\d)/.exec(value as string)?.[1]);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`"${column}" must start with a digit from 1 to ${max}: "${value}"`);
  return n;
}

function countOf(value: string | undefined, column: string): number {
  if (missing(value)) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`"${column}" must be a whole number: "${value}"`);
  return n;
}

const textOf = (value: string | undefined) => (missing(value) ? null : (value as string));

export class TicketImport {
  constructor(private readonly transactions: Transactions) {}

  async importCsv(p: Principal, csv: string): Promise<ImportReply> {
    if (typeof csv !== 'string' || csv.trim() === '')
      throw badRequest('IMPORT_INVALID', 'the body is empty: send the CSV export as text/csv');
    let records: string[][];
    try {
      records = parse(csv, { relax_column_count: true, skip_empty_lines: true, bom: true });
    } catch (e) {
      throw badRequest('IMPORT_INVALID', `the CSV cannot be read: ${(e as Error).message}`);
    }
    const [header, ...rows] = records;
    if (!header?.includes('number')) throw badRequest('IMPORT_INVALID', 'the first line must name the columns, among them "number"');
    const rejected: ImportReply['rejected'] = [];
    // The last row of each number wins; lines count from 1 with the header.
    const last = new Map<string, { line: number; row: Record<string, string> }>();
    rows.forEach((cells, i) => {
      const row: Record<string, string> = {};
      header.forEach((column, c) => {
        row[column] = cells[c] ?? '';
      });
      const line = i + 2;
      if (!NUMBER.test(row.number ?? '')) {
        rejected.push({ line, message: `"number" must look like INC0000001: "${row.number ?? ''}"` });
        return;
      }
      last.set(row.number as string, { line, row });
    });

    const tickets: Array<Record<string, unknown>> = [];
    const highest = new Map<TicketType, number>();
    for (const [number, { line, row }] of last) {
      try {
        tickets.push(this.ticketOf(p.tenantId, number, row));
        const [, prefix, digits] = NUMBER.exec(number) as RegExpExecArray;
        const type = TYPE_OF_PREFIX[prefix as string] as TicketType;
        highest.set(type, Math.max(highest.get(type) ?? 0, Number(digits)));
      } catch (e) {
        rejected.push({ line, message: (e as Error).message });
      }
    }
    let imported = 0;
    let updated = 0;
    for (let i = 0; i < tickets.length; i += BATCH) {
      const batch = tickets.slice(i, i + BATCH);
      await this.transactions.withTenant(p.tenantId, async (work) => {
        const rows = (await work
          .tx('tickets')
          .insert(batch)
          .onConflict(['tenant_id', 'number'])
          .merge(UPDATABLE)
          // xmax is 0 on a row this statement inserted, and set on one it updated.
          .returning(work.tx.raw('(xmax = 0) AS inserted') as never)) as Array<{ inserted: boolean }>;
        for (const r of rows) {
          if (r.inserted) imported++;
          else updated++;
        }
      });
    }
    await this.transactions.withTenant(p.tenantId, async (work) => {
      for (const [type, n] of highest) await raiseCounter(work.tx, p.tenantId, type, n);
    });
    rejected.sort((a, b) => a.line - b.line);
    return { imported, updated, rejected };
  }

  private ticketOf(tenantId: string, number: string, row: Record<string, string>): Record<string, unknown> {
    const type = TYPE_OF_PREFIX[number.slice(0, 3)] as TicketType;
    const state = stateOf(row.incident_state ?? '');
    if (!state) throw new Error(`"incident_state" is not a state this import knows: "${row.incident_state ?? ''}"`);
    const openedAt = instantOf(row.opened_at, 'opened_at');
    if (!openedAt) throw new Error('"opened_at" is required');
    const fields: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) if (!OWN_COLUMNS.has(column) && !missing(value)) fields[column] = value;
    if (!missing(row.made_sla)) fields.madeSla = /^true$/i.test(row.made_sla as string);
    const category = textOf(row.category);
    return {
      id: crypto.randomUUID(),
      tenant_id: tenantId,
      number,
      type,
      state,
      title: textOf(row.short_description) ?? [category, textOf(row.subcategory)].filter(Boolean).join(' / ') ?? number,
      description: textOf(row.description) ?? '',
      priority: levelOf(row.priority, 'priority', 5, 5),
      impact: levelOf(row.impact, 'impact', 3, 3),
      urgency: levelOf(row.urgency, 'urgency', 3, 3),
      category,
      subcategory: textOf(row.subcategory),
      symptom: textOf(row.u_symptom),
      ci_id: textOf(row.cmdb_ci),
      opened_at: openedAt,
      resolved_at: instantOf(row.resolved_at, 'resolved_at'),
      closed_at: instantOf(row.closed_at, 'closed_at'),
      updated_at: instantOf(row.sys_updated_at, 'sys_updated_at') ?? openedAt,
      close_code: textOf(row.closed_code),
      reassignment_count: countOf(row.reassignment_count, 'reassignment_count'),
      reopen_count: countOf(row.reopen_count, 'reopen_count'),
      fields: JSON.stringify(fields),
      affected_cis: '[]',
      imported: true,
    };
  }
}

/** What a re-import replaces (everything but the id, the tenant and the number). */
const UPDATABLE = [
  'type',
  'state',
  'title',
  'description',
  'priority',
  'impact',
  'urgency',
  'category',
  'subcategory',
  'symptom',
  'ci_id',
  'opened_at',
  'resolved_at',
  'closed_at',
  'updated_at',
  'close_code',
  'reassignment_count',
  'reopen_count',
  'fields',
  'imported',
];
