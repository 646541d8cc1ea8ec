// Compiling a large BPMN model is CPU work the event loop cannot interrupt: a 4,000-task chain
// takes 0.3 to 0.7 s, the largest model allowed up to 1.5 s on a busy machine, and during it no
// other tenant's request is answered. Documents of OFF_THREAD_BYTES or more compile on a worker
// thread instead; the main thread only receives the result and compiles its FEEL expressions again
// (compile-transfer.ts), a few milliseconds. Smaller ones compile here: the round trip would cost
// more than it saves. Should the worker fail to start or die, compiles run here again (logged).
import { Worker } from 'node:worker_threads';
import { type CompileOptions, checkImport, compile, type Definition, DefinitionError, type ImportReport } from '@serviceloom/engine';
import { type CompileReply, fromTransferable } from './compile-transfer.ts';

/** From this size (UTF-16 units of the XML) a document compiles on the worker thread. */
export const OFF_THREAD_BYTES = 64 * 1024;

interface Pending {
  xml: string;
  options: CompileOptions;
  /** An importer's report (checkImport) rather than a definition. */
  check: boolean;
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
}

export class OffThreadCompiler {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Set once the worker failed before answering anything: it will not start here, compile in-thread. */
  private unavailable = false;
  private answered = false;

  constructor(
    private readonly onWorkerFailure: (e: Error) => void = () => {},
    /** The worker's entry; tests name one that fails. */
    private readonly workerUrl: URL = new URL('./compile-worker.mjs', import.meta.url),
  ) {}

  compile(xml: string, options: CompileOptions = {}): Promise<Definition> {
    if (xml.length < OFF_THREAD_BYTES || this.unavailable) return compile(xml, options);
    return this.offThread<Definition>(xml, options, false);
  }

  /** The importer's report (the same analysis as a compile), off the thread from the same size. */
  checkImport(xml: string): Promise<ImportReport> {
    if (xml.length < OFF_THREAD_BYTES || this.unavailable) return checkImport(xml);
    return this.offThread<ImportReport>(xml, {}, true);
  }

  private offThread<T>(xml: string, options: CompileOptions, check: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { xml, options, check, resolve: resolve as (value: unknown) => void, reject });
      this.started().postMessage({ id, xml, options, check });
    });
  }

  /** Stops the worker; compiles in flight finish in this thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.unavailable = true;
    if (worker) await worker.terminate();
    this.inThread();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerUrl);
    // A server with nothing else to do should exit, worker or not.
    worker.unref();
    worker.on('message', (reply: CompileReply) => this.settle(reply));
    worker.on('error', (e) => this.failed(worker, e));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.failed(worker, new Error(`the compile worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: CompileReply): void {
    this.answered = true;
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok && reply.report !== undefined) waiting.resolve(reply.report);
    else if (reply.ok) fromTransferable(reply.definition).then(waiting.resolve, waiting.reject);
    else if (reply.problems) waiting.reject(new DefinitionError(reply.problems));
    else waiting.reject(new Error(reply.message));
  }

  private failed(worker: Worker, e: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (!this.answered) this.unavailable = true;
    this.onWorkerFailure(e);
    void worker.terminate();
    this.inThread();
  }

  /** What the worker will not answer any more compiles here. */
  private inThread(): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) (p.check ? checkImport(p.xml) : compile(p.xml, p.options)).then(p.resolve, p.reject);
  }
}
