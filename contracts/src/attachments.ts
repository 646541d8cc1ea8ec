// Attachments: files that form data references by id.
import { type Static, Type } from 'typebox';
import { Nullable } from './common.ts';

export const Attachment = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  uploadedBy: Type.String(),
  uploadedAt: Type.String({ format: 'date-time' }),
  taskId: Nullable(Type.String()),
  instanceId: Nullable(Type.String()),
});
export type Attachment = Static<typeof Attachment>;

export const UploadQuery = Type.Object(
  { taskId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
export type UploadQuery = Static<typeof UploadQuery>;

/** A download: the file's bytes. */
export const AttachmentFile = Type.Unsafe<Blob>({ type: 'string', format: 'binary' });
