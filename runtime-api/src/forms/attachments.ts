// Files uploaded for forms, referenced from form data by id (format `attachment-id`), never
// inlined as data URLs. A file uploaded for a task belongs to the task's instance at once; one
// uploaded for a start form belongs to its uploader (by user id, never by username) until the
// submission that references it starts an instance (FormService.record binds it). Whoever may see
// that task or instance may download it.
//
// Content is streamed in and out in chunks of CHUNK_BYTES, each written or read in its own short
// transaction (`attachment_chunks`): never a whole file in memory, never one statement that holds
// the database (PGlite has a single connection) for the length of a big file. Before any byte of
// the body is read, an upload takes a slot (uploads in flight per user and per tenant) and reserves
// its declared size against the per-user and per-tenant quotas.
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Principal } from '../platform/auth/tokens.ts';
import type { AttachmentLimits } from '../platform/config.ts';
import type { TaskRow } from '../platform/db/rows.ts';
import type { Transactions } from '../platform/db/transactions.ts';
import { badRequest, conflict, DomainError, notFound } from '../platform/errors.ts';
import { maySeeTask } from './forms.ts';
import { UploadSlots } from './upload-slots.ts';

const MiB = 1024 * 1024;
export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxBytes: 10 * MiB,
  userQuotaBytes: 200 * MiB,
  tenantQuotaBytes: 5 * 1024 * MiB,
  userConcurrency: 3,
  tenantConcurrency: 10,
};

/**
 * Bytes per stored chunk: one short statement each. Chunks travel as base64 text, decoded and
 * encoded by the database: PGlite converts a bytea parameter or column byte by byte in JavaScript,
 * some ten times slower (half a second per 256 KiB on a busy machine, holding its one connection).
 */
export const CHUNK_BYTES = 256 * 1024;
/** What a multipart body may carry beyond the file itself (boundaries, part headers). */
export const MULTIPART_OVERHEAD_BYTES = 16 * 1024;
/** An upload still in progress after this long is taken as abandoned (its server died) and removed. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;

const startsWith = (b: Buffer, bytes: number[]) => bytes.every((x, i) => b[i] === x);
const zip = (b: Buffer) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]);
const ole = (b: Buffer) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Text: no NUL byte anywhere (checked on every chunk). */
const TEXT = 'text';

/**
 * The content types accepted, each with a check that the bytes are what the type says: a check of
 * the file's first chunk, or TEXT. Types a browser would run (HTML, SVG, JavaScript) are not
 * accepted at all.
 */
export const ATTACHMENT_TYPES: Record<string, ((head: Buffer) => boolean) | typeof TEXT> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'text/plain': TEXT,
  'text/csv': TEXT,
  'application/json': TEXT,
  'message/rfc822': TEXT,
  'application/zip': zip,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': zip,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': zip,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': zip,
  'application/msword': ole,
  'application/vnd.ms-excel': ole,
  'application/vnd.ms-powerpoint': ole,
};

/** The file part of an upload, as it streams in. */
export interface IncomingFile {
  filename: string | undefined;
  contentType: string;
  content: AsyncIterable<Buffer>;
  /** After `content` ended: whether it was cut at the size limit. */
  truncated(): boolean;
}

export interface AttachmentView {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  taskId: string | null;
  instanceId: string | null;
}

interface AttachmentRow {
  id: string;
  tenant_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: string;
  /** The uploading user's id; null for files uploaded before ownership by id by users since deleted. */
  owner_id: string | null;
  status: 'uploading' | 'stored';
  uploaded_at: Date;
  task_id: string | null;
  instance_id: string | null;
}

const view = (r: AttachmentRow): AttachmentView => ({
  id: r.id,
  filename: r.filename,
  contentType: r.content_type,
  size: r.size,
  sha256: r.sha256,
  uploadedBy: r.uploaded_by,
  uploadedAt: new Date(r.uploaded_at).toISOString(),
  taskId: r.task_id,
  instanceId: r.instance_id,
});

/** A file name without directories or control characters, at most 200 characters. */
export function safeFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\u007f' && c !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned || 'file';
}

export class AttachmentService {
  readonly slots: UploadSlots;
  /**
   * One chunk written at a time per process, however many uploads stream in: other requests wait
   * behind at most one chunk's write for the database (PGlite has a single connection, served in
   * turn), never behind one from every upload in flight.
   */
  private readonly chunkWrites = new OneAtATime();

  constructor(
    private readonly transactions: Transactions,
    readonly limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS,
  ) {
    this.slots = new UploadSlots(limits.userConcurrency, limits.tenantConcurrency);
  }

  get maxBytes(): number {
    return this.limits.maxBytes;
  }

  /**
   * 413 PAYLOAD_TOO_LARGE if a request's declared length cannot hold a file within the limit: for
   * the route to answer before it reads any of the body.
   */
  checkDeclaredLength(declaredBytes: number | undefined): void {
    if (declaredBytes !== undefined && declaredBytes > this.limits.maxBytes + MULTIPART_OVERHEAD_BYTES) {
      throw tooLarge(this.limits.maxBytes);
    }
  }

  /**
   * Stores one uploaded file. Before `receive` reads the body: a slot (429 UPLOAD_CONCURRENCY), the
   * task's check, and a reservation of the declared length (or, undeclared, the size limit) against
   * the quotas (413 QUOTA_EXCEEDED). Then the content streams into chunks.
   */
  async upload(
    p: Principal,
    request: { declaredBytes: number | undefined; taskId?: string },
    receive: () => Promise<IncomingFile | undefined>,
  ): Promise<AttachmentView> {
    this.checkDeclaredLength(request.declaredBytes);
    const slot = this.slots.acquire(p.tenantId, p.userId);
    try {
      const reserved = Math.min(request.declaredBytes ?? this.limits.maxBytes, this.limits.maxBytes);
      const row = await this.reserve(p, reserved, request.taskId);
      try {
        const file = await receive();
        if (!file) throw badRequest('NO_FILE', 'the request holds no file');
        return await this.store(p, row, file);
      } catch (e) {
        await this.transactions.read(p.tenantId, (tx) => tx('attachments').where({ tenant_id: p.tenantId, id: row.id }).delete());
        throw e;
      }
    } finally {
      slot.release();
    }
  }

  /** The row of an upload in progress, its size the bytes reserved, if they fit the quotas. */
  private reserve(p: Principal, reserved: number, taskId: string | undefined): Promise<AttachmentRow> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      let task: TaskRow | undefined;
      if (taskId) {
        task = await work.tx('tasks').where({ tenant_id: p.tenantId, id: taskId }).first();
        if (!task || !maySeeTask(p, task)) throw notFound('task', taskId);
        if (task.status !== 'open') throw conflict('TASK_NOT_OPEN', `task "${taskId}" is ${task.status}`);
      }
      // One reservation at a time per tenant, across servers: two cannot both take the last bytes.
      await work.tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`serviceloom.attachments/${p.tenantId}`]);
      await work
        .tx('attachments')
        .where({ tenant_id: p.tenantId, status: 'uploading' })
        .where('uploaded_at', '<', new Date(work.now - ABANDONED_AFTER_MS).toISOString())
        .delete();
      const { rows } = (await work.tx.raw(
        `SELECT coalesce(sum(size), 0) AS tenant, coalesce(sum(size) FILTER (WHERE owner_id = ?), 0) AS user
           FROM attachments WHERE tenant_id = ?`,
        [p.userId, p.tenantId],
      )) as { rows: Array<{ tenant: number | string; user: number | string }> };
      const used = { user: Number(rows[0]?.user ?? 0), tenant: Number(rows[0]?.tenant ?? 0) };
      const { userQuotaBytes, tenantQuotaBytes } = this.limits;
      if (userQuotaBytes > 0 && used.user + reserved > userQuotaBytes) {
        throw quotaExceeded('your files', used.user, userQuotaBytes, reserved);
      }
      if (tenantQuotaBytes > 0 && used.tenant + reserved > tenantQuotaBytes) {
        throw quotaExceeded("your tenant's files", used.tenant, tenantQuotaBytes, reserved);
      }
      const row: AttachmentRow = {
        id: `att-${randomUUID()}`,
        tenant_id: p.tenantId,
        filename: 'file',
        content_type: 'application/octet-stream',
        size: reserved,
        sha256: '',
        uploaded_by: p.username,
        owner_id: p.userId,
        status: 'uploading',
        uploaded_at: new Date(work.now),
        task_id: task?.id ?? null,
        instance_id: task?.instance_id ?? null,
      };
      await work.tx('attachments').insert({ ...row, uploaded_at: work.at });
      return row;
    });
  }

  /** Streams the file into chunks, checking its type as it goes, and marks the row stored. */
  private async store(p: Principal, row: AttachmentRow, file: IncomingFile): Promise<AttachmentView> {
    const contentType = file.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    const check = ATTACHMENT_TYPES[contentType];
    if (!check) {
      throw new DomainError(
        'unsupported_media',
        'UNSUPPORTED_MEDIA_TYPE',
        `files of type "${contentType}" are not accepted; accepted: ${Object.keys(ATTACHMENT_TYPES).join(', ')}`,
      );
    }
    const notThatType = () => new DomainError('unsupported_media', 'UNSUPPORTED_MEDIA_TYPE', `the file's content is not ${contentType}`);
    const hash = createHash('sha256');
    let size = 0;
    let seq = 0;
    const write = async (data: Buffer) => {
      if (check === TEXT ? data.includes(0) : seq === 0 && !check(data)) throw notThatType();
      hash.update(data);
      size += data.length;
      const chunk = { tenant_id: p.tenantId, attachment_id: row.id, seq: seq++, base64: data.toString('base64') };
      await this.chunkWrites.run(() =>
        this.transactions.read(p.tenantId, (tx) =>
          tx('attachment_chunks').insert({
            tenant_id: chunk.tenant_id,
            attachment_id: chunk.attachment_id,
            seq: chunk.seq,
            data: tx.raw(`decode(?, 'base64')`, [chunk.base64]),
          }),
        ),
      );
    };
    for await (const chunk of rechunk(file.content, CHUNK_BYTES)) {
      if (size + chunk.length > this.limits.maxBytes) throw tooLarge(this.limits.maxBytes);
      await write(chunk);
    }
    if (file.truncated()) throw tooLarge(this.limits.maxBytes);
    if (size === 0) throw new DomainError('invalid', 'EMPTY_FILE', 'the file is empty');
    const stored: AttachmentRow = {
      ...row,
      filename: safeFilename(file.filename),
      content_type: contentType,
      size,
      sha256: hash.digest('hex'),
      status: 'stored',
    };
    await this.transactions.read(p.tenantId, (tx) =>
      tx('attachments')
        .where({ tenant_id: p.tenantId, id: row.id })
        .update({ filename: stored.filename, content_type: contentType, size, sha256: stored.sha256, status: 'stored' }),
    );
    return view(stored);
  }

  /** The file, streamed chunk by chunk, if the caller may see it; 404 otherwise, as for a file that does not exist. */
  async download(p: Principal, id: string): Promise<AttachmentView & { content: Readable }> {
    const row = await this.visible(p, id);
    const { transactions } = this;
    async function* chunks() {
      for (let seq = 0; ; seq++) {
        const [chunk] = await transactions.rows<{ data: string }>(p.tenantId, (q) =>
          q('attachment_chunks').where({ tenant_id: p.tenantId, attachment_id: id, seq }).select(q.raw(`encode(data, 'base64') AS data`)),
        );
        if (!chunk) return;
        yield Buffer.from(chunk.data, 'base64');
      }
    }
    return { ...view(row), content: Readable.from(chunks(), { objectMode: false }) };
  }

  async info(p: Principal, id: string): Promise<AttachmentView> {
    return view(await this.visible(p, id));
  }

  private visible(p: Principal, id: string): Promise<AttachmentRow> {
    return this.transactions.read(p.tenantId, async (tx) => {
      const row: AttachmentRow | undefined = await tx('attachments').where({ tenant_id: p.tenantId, id, status: 'stored' }).first();
      if (!row) throw notFound('attachment', id);
      if (row.owner_id === p.userId) return row;
      // Those who operate instances see every instance's files.
      if (p.roles.includes('tenant-admin') || p.roles.includes('process-owner')) return row;
      if (row.instance_id) {
        const tasks: TaskRow[] = await tx('tasks').where({ tenant_id: p.tenantId, instance_id: row.instance_id });
        if (tasks.some((t) => maySeeTask(p, t))) return row;
        // Submissions name their submitter by username: one made before this user existed was
        // another user's (a deleted one whose name was given again).
        const started = await tx('form_submissions')
          .join('users', (j) => j.on('users.tenant_id', 'form_submissions.tenant_id').andOnVal('users.id', '=', p.userId))
          .where({ 'form_submissions.tenant_id': p.tenantId, instance_id: row.instance_id, kind: 'start', submitted_by: p.username })
          .whereRaw('form_submissions.submitted_at >= users.created_at')
          .first('form_submissions.id');
        if (started) return row;
      }
      throw notFound('attachment', id);
    });
  }
}

/** Runs tasks one after the other, in the order they came. */
class OneAtATime {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.last.then(task);
    this.last = result.catch(() => {});
    return result;
  }
}

const tooLarge = (maxBytes: number) => new DomainError('too_large', 'PAYLOAD_TOO_LARGE', `files are limited to ${maxBytes} bytes`);

function quotaExceeded(whose: string, used: number, quota: number, reserved: number): DomainError {
  return new DomainError(
    'too_large',
    'QUOTA_EXCEEDED',
    `${whose} take ${used} of the ${quota} bytes allowed; this upload (up to ${reserved} bytes) does not fit. Delete files or ask an administrator for a larger quota`,
  );
}

/** The stream's bytes in pieces of exactly `size` (the last one shorter), copying as little as it can. */
export async function* rechunk(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of source) {
    let rest = piece;
    while (pendingBytes + rest.length >= size) {
      const take = size - pendingBytes;
      pending.push(rest.subarray(0, take));
      yield Buffer.concat(pending, size);
      rest = rest.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (rest.length) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes) yield Buffer.concat(pending, pendingBytes);
}
