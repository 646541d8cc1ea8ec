// Files on a ticket. The file itself is a forms attachment (`POST /attachments`, its checks of
// type, size and quota); linking it to a ticket (`POST /tickets/:number/attachments`) makes it the
// ticket's: whoever sees the ticket (its agents, its requester and watchers) lists and downloads
// it here, and nobody else. Only the uploader may link a file, so that nobody attaches, and so
// reads, a file of someone else's.
import { Readable } from 'node:stream';
import type { Attachment } from '@serviceloom/contracts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Queryable } from '../../platform/db/connect.ts';
import type { Transactions } from '../../platform/db/transactions.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { type TicketService, timeline } from './service.ts';

interface FileRow {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: string;
  owner_id: string | null;
  uploaded_at: Date | string;
  task_id: string | null;
  instance_id: string | null;
}

const FILE_COLUMNS = [
  'a.id',
  'a.filename',
  'a.content_type',
  'a.size',
  'a.sha256',
  'a.uploaded_by',
  'a.owner_id',
  'a.uploaded_at',
  'a.task_id',
  'a.instance_id',
];

const viewOf = (r: FileRow): Attachment => ({
  id: r.id,
  filename: r.filename,
  contentType: r.content_type,
  size: Number(r.size),
  sha256: r.sha256,
  uploadedBy: r.uploaded_by,
  uploadedAt: new Date(r.uploaded_at).toISOString(),
  taskId: r.task_id,
  instanceId: r.instance_id,
});

export class TicketAttachments {
  constructor(
    private readonly transactions: Transactions,
    private readonly tickets: TicketService,
  ) {}

  /** The ticket's files, oldest first. */
  async list(p: Principal, number: string): Promise<Attachment[]> {
    return this.transactions.read(p.tenantId, async (tx) => {
      const ticket = await this.tickets.visible(tx, p, number);
      const rows = (await linked(tx, p.tenantId, ticket.id).orderBy([{ column: 'l.added_at' }, { column: 'a.id' }])) as FileRow[];
      return rows.map(viewOf);
    });
  }

  /** Links the caller's own upload to a ticket they see; a timeline entry tells who added which file. */
  async add(p: Principal, number: string, attachmentId: string): Promise<Attachment> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const ticket = await this.tickets.visible(work.tx, p, number);
      const file = (await work
        .tx('attachments as a')
        .where({ 'a.tenant_id': p.tenantId, 'a.id': attachmentId, 'a.status': 'stored', 'a.owner_id': p.userId })
        .first(FILE_COLUMNS)) as FileRow | undefined;
      // Another's file is answered like one that does not exist.
      if (!file) throw notFound('attachment', attachmentId);
      const inserted = await work
        .tx('ticket_attachments')
        .insert({ tenant_id: p.tenantId, ticket_id: ticket.id, attachment_id: file.id, added_by: p.userId, added_at: work.at })
        .onConflict(['tenant_id', 'ticket_id', 'attachment_id'])
        .ignore()
        .returning('attachment_id');
      if (inserted.length === 0) throw conflict('ATTACHMENT_EXISTS', `attachment "${attachmentId}" is already on ${number}`);
      await work
        .tx('tickets')
        .where({ tenant_id: p.tenantId, id: ticket.id })
        .update({ updated_at: new Date(work.now).toISOString() });
      await timeline(work.tx, work, ticket.id, p, 'attachment', { id: file.id, filename: file.filename, size: Number(file.size) });
      await this.tickets.changed(work, number);
      return viewOf(file);
    });
  }

  /** A file of the ticket, streamed chunk by chunk; 404 unless the caller sees the ticket and the file is on it. */
  async download(p: Principal, number: string, attachmentId: string): Promise<Attachment & { content: Readable }> {
    const file = await this.transactions.read(p.tenantId, async (tx) => {
      const ticket = await this.tickets.visible(tx, p, number);
      const row = (await linked(tx, p.tenantId, ticket.id).where('a.id', attachmentId).first()) as FileRow | undefined;
      if (!row) throw notFound('attachment', attachmentId);
      return row;
    });
    const { transactions } = this;
    async function* chunks() {
      for (let seq = 0; ; seq++) {
        const [chunk] = await transactions.rows<{ data: string }>(p.tenantId, (q) =>
          q('attachment_chunks')
            .where({ tenant_id: p.tenantId, attachment_id: file.id, seq })
            .select(q.raw(`encode(data, 'base64') AS data`)),
        );
        if (!chunk) return;
        yield Buffer.from(chunk.data, 'base64');
      }
    }
    return { ...viewOf(file), content: Readable.from(chunks(), { objectMode: false }) };
  }
}

function linked(q: Queryable, tenantId: string, ticketId: string) {
  return q('ticket_attachments as l')
    .join('attachments as a', (j) => j.on('a.tenant_id', 'l.tenant_id').andOn('a.id', 'l.attachment_id'))
    .where({ 'l.tenant_id': tenantId, 'l.ticket_id': ticketId, 'a.status': 'stored' })
    .select(FILE_COLUMNS);
}
