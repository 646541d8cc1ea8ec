// The compile worker (compile-off-thread.ts): compiles BPMN on a thread of its own and sends the
// result back as plain data, each FEEL expression replaced by its source (closures cannot cross).
import { parentPort } from 'node:worker_threads';
import { type CompileOptions, checkImport, compile, DefinitionError } from '@serviceloom/engine';
import { type CompileReply, toTransferable } from './compile-transfer.ts';

parentPort?.on('message', async (request: { id: number; xml: string; options: CompileOptions; check?: boolean }) => {
  let reply: CompileReply;
  try {
    // An importer's report is plain data: it crosses as it is.
    reply = request.check
      ? { id: request.id, ok: true, report: await checkImport(request.xml) }
      : { id: request.id, ok: true, definition: toTransferable(await compile(request.xml, request.options)) };
  } catch (e) {
    reply =
      e instanceof DefinitionError
        ? { id: request.id, ok: false, problems: [...e.problems] }
        : { id: request.id, ok: false, message: (e as Error)?.message ?? String(e) };
  }
  parentPort?.postMessage(reply);
});
