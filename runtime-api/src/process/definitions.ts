// Deployed BPMN definitions: deploy (validate, version, keep start events current), look up,
// and the compiled form of each, cached in memory by definition id (definitions never change).
import { createHash, randomUUID } from 'node:crypto';
import { type Definition, DefinitionError, type ImportReport } from '@serviceloom/engine';
import { DEFINITION_SUSPENDED_STATE, EXPECTATION_FAILED } from '@serviceloom/migrations';
import { type Actor, audit } from '../platform/audit.ts';
import type { Statement } from '../platform/db/batch.ts';
import { type Build, compiled } from '../platform/db/compiled.ts';
import type { Queryable } from '../platform/db/connect.ts';
import type { DefinitionRef, DefinitionRow } from '../platform/db/rows.ts';
import type { Transactions, Work } from '../platform/db/transactions.ts';
import { badRequest, conflict, DomainError, notFound, tooLarge } from '../platform/errors.ts';
import { OffThreadCompiler } from './compile-off-thread.ts';
import { replaceStartEvents } from './start-events.ts';

export interface DraftRow {
  tenant_id: string;
  key: string;
  bpmn_xml: string;
  updated_by: string | null;
  updated_at: Date;
}

export const MAX_BPMN_BYTES = 2 * 1024 * 1024;
const CACHE_SIZE = 500;

/** A version as the API shows it: with whether it is suspended (migration 008). */
export type DefinitionVersionRow = DefinitionRow & { suspended?: boolean };

export interface DeployResult {
  definition: DefinitionRow;
  /** False when the same XML was already the latest version. */
  created: boolean;
  /** The warnings the model compiled with (extensions kept but not executed, unreachable elements...). */
  warnings: Array<{ elementId: string; message: string }>;
}

export class DefinitionService {
  private readonly compiled = new Map<string, Promise<Definition>>();
  /** The latest version of each process as this server last read it, by tenant and key. */
  private readonly latest = new Map<string, DefinitionRef>();

  constructor(
    private readonly transactions: Transactions,
    /** Large documents compile on a worker thread, so that they do not hold the event loop. */
    private readonly compiler: OffThreadCompiler = new OffThreadCompiler(),
  ) {}

  /** Stops the compile worker (the server is closing). */
  close(): Promise<void> {
    return this.compiler.close();
  }

  /** The compiled definition of a deployed version. */
  async compiledById(q: Queryable, id: string): Promise<Definition> {
    let found = this.compiled.get(id);
    if (found) return found;
    found = q('definitions')
      .select('bpmn_xml', 'key')
      .where({ id })
      .first()
      .then((row: Pick<DefinitionRow, 'bpmn_xml' | 'key'> | undefined) => {
        if (!row) throw new Error(`definition ${id} is missing`);
        return this.compiler.compile(row.bpmn_xml, { processId: row.key });
      });
    this.remember(id, found);
    found.catch(() => this.compiled.delete(id));
    return found;
  }

  private remember(id: string, definition: Promise<Definition>): void {
    if (this.compiled.size >= CACHE_SIZE) {
      const oldest = this.compiled.keys().next().value;
      if (oldest !== undefined) this.compiled.delete(oldest);
    }
    this.compiled.set(id, definition);
  }

  /** Deploys in a transaction of its own; `actorId` names the user in the audit log. */
  async deploy(tenantId: string, deployedBy: string, xml: string, actorId: string | null = null): Promise<DeployResult> {
    const definition = await compileForDeploy(this.compiler, xml);
    try {
      return await this.transactions.withTenant(tenantId, (work) =>
        this.deployIn(work, { userId: actorId, username: deployedBy }, xml, definition),
      );
    } catch (e) {
      if ((e as { code?: string }).code === '23505') {
        throw conflict('DEPLOY_CONFLICT', `"${definition.processId}" was deployed by someone else at the same moment; deploy again`);
      }
      throw e;
    }
  }

  /** The importer's report on a model of any dialect (engine checkImport): nothing is stored. */
  async importCheck(xml: string): Promise<ImportReport> {
    checkUpload(xml);
    try {
      // A large model is analysed off the event loop, as its deploy would be compiled.
      return await this.compiler.checkImport(xml);
    } catch (e) {
      if (e instanceof DefinitionError) {
        const first = e.problems[0];
        throw badRequest(
          'BPMN_UNREADABLE',
          first?.message ?? e.message,
          e.problems.map((p) => ({ elementId: p.elementId, message: p.message })),
        );
      }
      throw badRequest('BPMN_UNREADABLE', `the BPMN document cannot be read: ${(e as Error).message}`, [
        { elementId: '', message: (e as Error).message },
      ]);
    }
  }

  /** Deploys inside the caller's transaction, in its tenant (tenant seeding comes here too). */
  async deployIn(work: Work, actor: Actor, xml: string, compiled?: Definition): Promise<DeployResult> {
    const tenantId = work.tenantId;
    if (!tenantId) throw new Error('deploy needs a tenant');
    const definition = compiled ?? (await compileForDeploy(this.compiler, xml));
    const key = definition.processId;
    const checksum = createHash('sha256').update(xml).digest('hex');
    // Waits for timer starts firing on an older version (they hold it FOR SHARE: lockStartable),
    // so that the cycle's next timer they schedule is committed, and cancelled below with the rest.
    await work.tx('definitions').select('id').where({ tenant_id: tenantId, key }).forUpdate();
    const latest: DefinitionRow | undefined = await work
      .tx('definitions')
      .where({ tenant_id: tenantId, key })
      .orderBy('version', 'desc')
      .first();
    const warnings = definition.warnings.map(({ elementId, message }) => ({ elementId, message }));
    if (latest && latest.checksum === checksum) return { definition: latest, created: false, warnings };
    const row: DefinitionRow = {
      id: randomUUID(),
      tenant_id: tenantId,
      key,
      version: (latest?.version ?? 0) + 1,
      name: definition.name ?? null,
      bpmn_xml: xml,
      checksum,
      deployed_by: actor.username,
      deployed_at: new Date(work.now),
    };
    await work.tx('definitions').insert({ ...row, deployed_at: work.at });
    await replaceStartEvents(work, row, definition);
    await audit(work, actor, {
      action: 'definition.deploy',
      targetType: 'definition',
      targetId: row.id,
      before: latest ? { id: latest.id, key, version: latest.version, checksum: latest.checksum } : null,
      after: { id: row.id, key, version: row.version, name: row.name, checksum },
    });
    this.remember(row.id, Promise.resolve(definition));
    this.forgetLatest(tenantId, key);
    return { definition: row, created: true, warnings };
  }

  latestOfEachKey(tenantId: string): Promise<DefinitionRow[]> {
    return this.transactions.read(tenantId, (tx) =>
      tx('definitions as d')
        .select('d.*')
        .where('d.tenant_id', tenantId)
        .whereRaw('d.version = (SELECT max(version) FROM definitions m WHERE m.tenant_id = d.tenant_id AND m.key = d.key)')
        .orderBy('d.key'),
    );
  }

  async versions(tenantId: string, key: string): Promise<DefinitionRow[]> {
    const rows = await this.transactions.read(tenantId, (tx) => tx('definitions').where({ tenant_id: tenantId, key }).orderBy('version'));
    if (rows.length === 0) throw notFound('definition key', key);
    return rows;
  }

  async byId(tenantId: string, id: string): Promise<DefinitionRow> {
    const row = await this.transactions.read(tenantId, (tx) => tx('definitions').where({ tenant_id: tenantId, id }).first());
    if (!row) throw notFound('definition', id);
    return row;
  }

  /** Instances per version of a key: how many run (active) and how many there were in all. */
  async instanceCounts(tenantId: string, key: string): Promise<Map<number, { active: number; total: number }>> {
    const rows: Array<{ version: number; active: string | number; total: string | number }> = await this.transactions.read(tenantId, (tx) =>
      tx('instances')
        .where({ tenant_id: tenantId, definition_key: key })
        .groupBy('definition_version')
        .select('definition_version as version')
        .select(tx.raw("count(*) filter (where status = 'active') as active"))
        .count('* as total'),
    );
    return new Map(rows.map((r) => [Number(r.version), { active: Number(r.active), total: Number(r.total) }]));
  }

  /**
   * Suspends or activates one version (`{ id }`) or every version of a key (`{ key }`): a suspended
   * version's start events start nothing (API 409, timer, message and signal starts skip it);
   * activating re-enqueues its scheduled timer starts, so their cycles go on. Audited.
   */
  async setSuspended(
    tenantId: string,
    actor: Actor,
    target: { id: string } | { key: string },
    suspended: boolean,
  ): Promise<DefinitionVersionRow[]> {
    return this.transactions.withTenant(tenantId, async (work) => {
      const which = 'id' in target ? { tenant_id: tenantId, id: target.id } : { tenant_id: tenantId, key: target.key };
      const rows: DefinitionVersionRow[] = await work.tx('definitions').where(which).orderBy('version').forUpdate();
      if (rows.length === 0) throw 'id' in target ? notFound('definition', target.id) : notFound('definition key', target.key);
      const changed = rows.filter((r) => Boolean(r.suspended) !== suspended);
      if (changed.length > 0) {
        const ids = changed.map((r) => r.id);
        await work.tx('definitions').whereIn('id', ids).update({ suspended });
        if (!suspended) await requeueStartTimers(work, ids);
        for (const r of changed) {
          await audit(work, actor, {
            action: suspended ? 'definition.suspend' : 'definition.activate',
            targetType: 'definition',
            targetId: r.id,
            before: { id: r.id, key: r.key, version: r.version, suspended: !suspended },
            after: { id: r.id, key: r.key, version: r.version, suspended },
          });
        }
      }
      return rows.map((r) => ({ ...r, suspended }));
    });
  }

  /**
   * Whether a version may start instances now (it exists and is not suspended), holding it FOR
   * SHARE until the transaction ends: a suspend or a redeploy of its key waits for the start.
   */
  async lockStartable(q: Queryable, id: string): Promise<boolean> {
    const row: { suspended: boolean } | undefined = await q('definitions').select('suspended').where({ id }).forShare().first();
    return row !== undefined && !row.suspended;
  }

  /** A statement that fails its transaction with DEFINITION_SUSPENDED_STATE if the version is suspended. */
  notSuspended(q: Queryable, ref: DefinitionRef): Statement {
    return compiled(q, notSuspendedCheck, { id: ref.id, message: `"${ref.key}" version ${ref.version} is suspended` });
  }

  /** The designer's saved draft of a key (designer: PUT/GET /definitions/:key/draft). */
  async draft(tenantId: string, key: string): Promise<DraftRow> {
    const row = await this.transactions.read(tenantId, (tx) => tx('definition_drafts').where({ tenant_id: tenantId, key }).first());
    if (!row) throw notFound('draft', key);
    return row;
  }

  drafts(tenantId: string): Promise<Array<Omit<DraftRow, 'bpmn_xml'>>> {
    return this.transactions.read(tenantId, (tx) =>
      tx('definition_drafts').where({ tenant_id: tenantId }).select('tenant_id', 'key', 'updated_by', 'updated_at').orderBy('key'),
    );
  }

  /** Saves a draft as it is: drafts may be invalid, they are checked when deployed. */
  async saveDraft(tenantId: string, key: string, xml: string, updatedBy: string): Promise<DraftRow> {
    if (Buffer.byteLength(xml, 'utf8') > MAX_BPMN_BYTES) {
      throw tooLarge(`the BPMN document is larger than ${MAX_BPMN_BYTES / 1024 / 1024} MB`);
    }
    return this.transactions.withTenant(tenantId, async (work) => {
      const row = { tenant_id: tenantId, key, bpmn_xml: xml, updated_by: updatedBy, updated_at: new Date(work.now) };
      await work.tx('definition_drafts').insert(row).onConflict(['tenant_id', 'key']).merge(['bpmn_xml', 'updated_by', 'updated_at']);
      return row;
    });
  }

  async deleteDraft(tenantId: string, key: string): Promise<void> {
    const n = await this.transactions.read(tenantId, (tx) => tx('definition_drafts').where({ tenant_id: tenantId, key }).delete());
    if (!n) throw notFound('draft', key);
  }

  /** A version of a key (the latest when none is given), or undefined. */
  /** The latest (or the given) version of a process, without its XML. */
  async find(q: Queryable, tenantId: string, key: string, version?: number): Promise<DefinitionRef | undefined> {
    const query = q('definitions').select('id', 'tenant_id', 'key', 'version').where({ tenant_id: tenantId, key });
    const found: DefinitionRef | undefined =
      version === undefined ? await query.orderBy('version', 'desc').first() : await query.andWhere({ version }).first();
    if (found && version === undefined) this.rememberLatest(found);
    return found;
  }

  /**
   * The latest version of a process as this server last read it (undefined if it has not, or it
   * deployed one since). Another server may have deployed a newer one: whoever uses it runs
   * `stillLatest` in the same transaction.
   */
  knownLatest(tenantId: string, key: string): DefinitionRef | undefined {
    return this.latest.get(latestKey(tenantId, key));
  }

  /** Forgets the latest version of a process (it was found stale, or one was just deployed). */
  forgetLatest(tenantId: string, key: string): void {
    this.latest.delete(latestKey(tenantId, key));
  }

  /** A statement that fails its transaction with EXPECTATION_FAILED.staleDefinition if a newer version of `ref`'s process exists. */
  stillLatest(q: Queryable, ref: DefinitionRef): Statement {
    return compiled(q, noNewerVersion, {
      tenantId: ref.tenant_id,
      key: ref.key,
      version: ref.version,
      message: `"${ref.key}" has a version newer than ${ref.version}`,
    });
  }

  private rememberLatest(ref: DefinitionRef): void {
    if (this.latest.size >= CACHE_SIZE * 10) this.latest.clear();
    this.latest.set(latestKey(ref.tenant_id, ref.key), { id: ref.id, tenant_id: ref.tenant_id, key: ref.key, version: ref.version });
  }
}

const latestKey = (tenantId: string, key: string) => `${tenantId}\u0000${key}`;

/** Fails its transaction if a version of the process newer than `version` exists (compiled once: db/compiled.ts). */
const noNewerVersion: Build<{ tenantId: string; key: string; version: number; message: string }> = (q, a) =>
  q.raw('SELECT serviceloom_expect(NOT EXISTS (SELECT FROM definitions WHERE tenant_id = ? AND key = ? AND version > ?), ?, ?)', [
    a.tenantId,
    a.key,
    a.version,
    EXPECTATION_FAILED.staleDefinition,
    a.message,
  ]);

/** Fails its transaction if the version is suspended (compiled once: db/compiled.ts). */
const notSuspendedCheck: Build<{ id: string; message: string }> = (q, a) =>
  q.raw('SELECT serviceloom_expect(NOT EXISTS (SELECT FROM definitions WHERE id = ? AND suspended), ?, ?)', [
    a.id,
    DEFINITION_SUSPENDED_STATE,
    a.message,
  ]);

/** The suspended-start error a start answers with. */
export const definitionSuspended = (message: string) => conflict('DEFINITION_SUSPENDED', message);

/**
 * Timer starts that fired while their version was suspended stayed scheduled (their outbox row
 * done): enqueue each again at its due time, so the cycle goes on from where it stood.
 */
async function requeueStartTimers(work: Work, definitionIds: string[]): Promise<void> {
  const timers: Array<{ id: string; tenant_id: string; due_at: Date | string }> = await work
    .tx('timers')
    .select('id', 'tenant_id', 'due_at')
    .whereIn('definition_id', definitionIds)
    .whereNull('instance_id')
    .andWhere({ status: 'scheduled' });
  await work.enqueue(
    timers.map((t) => ({
      tenantId: t.tenant_id,
      kind: 'timer' as const,
      payload: { timerId: t.id },
      availableAt: new Date(t.due_at).getTime(),
    })),
  );
}

/** Compiles XML a client sent; anything wrong with it is a 400, never a 500. */
async function compileForDeploy(compiler: OffThreadCompiler, xml: string): Promise<Definition> {
  checkUpload(xml);
  try {
    return await compiler.compile(xml);
  } catch (e) {
    if (e instanceof DefinitionError) {
      throw badRequest(
        'BPMN_INVALID',
        e.message,
        e.problems.map((p) => ({ elementId: p.elementId, message: p.message })),
      );
    }
    if (e instanceof DomainError) throw e;
    // The parser or validator tripped over something unexpected: still the document's fault.
    throw badRequest('BPMN_INVALID', `the BPMN document cannot be read: ${(e as Error).message}`, [
      { elementId: '', message: (e as Error).message },
    ]);
  }
}

/** What any BPMN upload must pass before it is parsed: its size, and no document type declaration. */
function checkUpload(xml: string): void {
  if (Buffer.byteLength(xml, 'utf8') > MAX_BPMN_BYTES) {
    throw tooLarge(`the BPMN document is larger than ${MAX_BPMN_BYTES / 1024 / 1024} MB`);
  }
  // Document type declarations are how entity-expansion attacks start; BPMN never needs one.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw badRequest('BPMN_INVALID', 'document type declarations (<!DOCTYPE>, <!ENTITY>) are not allowed in BPMN', [
      { elementId: '', message: 'remove the <!DOCTYPE> declaration' },
    ]);
  }
}
