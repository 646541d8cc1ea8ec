// Entry of the compile worker: the server's modules are TypeScript, loaded through tsx in this
// thread too (a worker does not inherit the loader of a test runner or a bundler).
import { register } from 'tsx/esm/api';

register();
await import('./compile-worker.ts');
