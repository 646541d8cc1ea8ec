// Files uploaded for forms, kept in the database (bytea) and referenced from form data by id
// (format `attachment-id`), never inlined as data URLs. A file uploaded for a task belongs to the
// task's instance at once; one uploaded for a start form belongs to its uploader until the
// submission that references it starts an instance (FormService.record binds it). Whoever may see
// that task or instance may download it.
import { createHash, randomUUID } from 'node:crypto';
import type { Principal } from '../auth/tokens.ts';
import type { TaskRow } from '../db/rows.ts';
import type { Transactions } from '../db/transactions.ts';
import { ApiError, conflict, notFound } from '../errors.ts';
import { maySeeTask } from './forms.ts';

export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

const startsWith = (b: Buffer, bytes: number[]) => bytes.every((x, i) => b[i] === x);
const isText = (b: Buffer) => !b.includes(0);
const zip = (b: Buffer) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]);
const ole = (b: Buffer) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * The content types accepted, each with a check that the bytes are what the type says. Types a
 * browser would run (HTML, SVG, JavaScript) are not accepted at all.
 */
export const ATTACHMENT_TYPES: Record<string, (b: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'text/plain': isText,
  'text/csv': isText,
  'application/json': isText,
  'message/rfc822': isText,
  'application/zip': zip,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': zip,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': zip,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': zip,
  'application/msword': ole,
  'application/vnd.ms-excel': ole,
  'application/vnd.ms-powerpoint': ole,
};

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
  data?: Uint8Array;
  uploaded_by: string;
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
  constructor(
    private readonly transactions: Transactions,
    readonly maxBytes = DEFAULT_ATTACHMENT_MAX_BYTES,
  ) {}

  async upload(
    p: Principal,
    file: { filename: string | undefined; contentType: string; data: Buffer },
    taskId?: string,
  ): Promise<AttachmentView> {
    const contentType = file.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    const check = ATTACHMENT_TYPES[contentType];
    if (!check) {
      throw new ApiError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `files of type "${contentType}" are not accepted; accepted: ${Object.keys(ATTACHMENT_TYPES).join(', ')}`,
      );
    }
    if (file.data.length === 0) throw new ApiError(400, 'EMPTY_FILE', 'the file is empty');
    if (file.data.length > this.maxBytes) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `files are limited to ${this.maxBytes} bytes`);
    if (!check(file.data)) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `the file's content is not ${contentType}`);
    return this.transactions.withTenant(p.tenantId, async (work) => {
      let task: TaskRow | undefined;
      if (taskId) {
        task = await work.tx('tasks').where({ tenant_id: p.tenantId, id: taskId }).first();
        if (!task || !maySeeTask(p, task)) throw notFound('task', taskId);
        if (task.status !== 'open') throw conflict('TASK_NOT_OPEN', `task "${taskId}" is ${task.status}`);
      }
      const row: AttachmentRow = {
        id: `att-${randomUUID()}`,
        tenant_id: p.tenantId,
        filename: safeFilename(file.filename),
        content_type: contentType,
        size: file.data.length,
        sha256: createHash('sha256').update(file.data).digest('hex'),
        uploaded_by: p.username,
        uploaded_at: new Date(work.now),
        task_id: task?.id ?? null,
        instance_id: task?.instance_id ?? null,
      };
      await work.tx('attachments').insert({ ...row, data: file.data, uploaded_at: work.at });
      return view(row);
    });
  }

  /** The file, if the caller may see it; 404 otherwise, as for a file that does not exist. */
  async download(p: Principal, id: string): Promise<AttachmentView & { data: Buffer }> {
    const row = await this.visible(p, id, true);
    return { ...view(row), data: Buffer.from(row.data as Uint8Array) };
  }

  async info(p: Principal, id: string): Promise<AttachmentView> {
    return view(await this.visible(p, id, false));
  }

  private visible(p: Principal, id: string, withData: boolean): Promise<AttachmentRow> {
    return this.transactions.read(p.tenantId, async (tx) => {
      const columns = [
        'id',
        'tenant_id',
        'filename',
        'content_type',
        'size',
        'sha256',
        'uploaded_by',
        'uploaded_at',
        'task_id',
        'instance_id',
      ];
      const row: AttachmentRow | undefined = await tx('attachments')
        .where({ tenant_id: p.tenantId, id })
        .first(withData ? [...columns, 'data'] : columns);
      if (!row) throw notFound('attachment', id);
      if (row.uploaded_by === p.username) return row;
      // Those who operate instances see every instance's files.
      if (p.roles.includes('tenant-admin') || p.roles.includes('process-owner')) return row;
      if (row.instance_id) {
        const tasks: TaskRow[] = await tx('tasks').where({ tenant_id: p.tenantId, instance_id: row.instance_id });
        if (tasks.some((t) => maySeeTask(p, t))) return row;
        const started = await tx('form_submissions')
          .where({ tenant_id: p.tenantId, instance_id: row.instance_id, kind: 'start', submitted_by: p.username })
          .first('id');
        if (started) return row;
      }
      throw notFound('attachment', id);
    });
  }
}
