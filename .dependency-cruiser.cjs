// The boundaries between ServiceLoom's parts, checked by `npm run lint` (dependency-cruiser).
// Each rule says why it exists; runtime-api/test/boundaries.test.ts shows each one catching a
// deliberately wrong import.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-is-pure',
      comment:
        'The engine runs on the server, in the designer (browser) and in tests alike: no I/O, no clock, no database, no server code.',
      severity: 'error',
      from: { path: '^engine/src' },
      to: {
        pathNot: '^engine/src',
        path: [
          '^runtime-api',
          '^migrations',
          '^web',
          '^designer',
          '^form-builder',
          '^contracts',
          'node_modules/(knex|pg|@electric-sql|bullmq|ioredis|fastify)',
        ],
      },
    },
    {
      name: 'engine-no-io-builtins',
      comment: 'No file system, network or process access from the engine.',
      severity: 'error',
      from: { path: '^engine/src' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|net|http|https|http2|dgram|dns|child_process|cluster|tls|worker_threads)$',
      },
    },
    {
      name: 'ui-never-imports-server',
      comment: 'The browser packages talk to the server over HTTP, through @serviceloom/contracts, never by importing it.',
      severity: 'error',
      from: { path: '^(designer|form-builder|web)/' },
      to: { path: '^(runtime-api|migrations)/' },
    },
    {
      name: 'platform-imports-nothing-above-it',
      comment:
        'platform/ is the infrastructure everything stands on: it may not know the process core, identity, forms or the ITSM modules.',
      severity: 'error',
      from: { path: '^runtime-api/src/platform/' },
      to: { path: '^runtime-api/src/(?!platform/)' },
    },
    {
      name: 'forms-below-the-process-core',
      comment:
        'Forms (schemas, versions, validation, attachments) are a layer the process core uses; they know no process, identity or module code.',
      severity: 'error',
      from: { path: '^runtime-api/src/forms/' },
      to: { path: '^runtime-api/src/(process|identity|modules|demo|wiring)/' },
    },
    {
      name: 'process-below-identity-and-modules',
      comment: 'The process core knows nothing of identity administration or the ITSM modules; modules reach it through its port.',
      severity: 'error',
      from: { path: '^runtime-api/src/process/' },
      to: { path: '^runtime-api/src/(identity|modules|demo|wiring)/' },
    },
    {
      name: 'identity-below-modules',
      comment: 'Users, groups and tenants know no ITSM module.',
      severity: 'error',
      from: { path: '^runtime-api/src/identity/' },
      to: { path: '^runtime-api/src/(modules|wiring)/' },
    },
    {
      name: 'only-the-app-wires',
      comment: 'wiring/ composes everything; only app.ts and the entry points may know it.',
      severity: 'error',
      from: { path: '^runtime-api/src/(platform|process|identity|forms|modules|demo)/' },
      to: { path: '^runtime-api/src/wiring/' },
    },
    {
      name: 'modules-never-import-each-other',
      comment: 'An ITSM module reacts to another through outbox events, never by importing it.',
      severity: 'error',
      from: { path: '^runtime-api/src/modules/([^/]+)/' },
      to: { path: '^runtime-api/src/modules/', pathNot: '^runtime-api/src/modules/$1/' },
    },
    {
      name: 'modules-use-the-process-port',
      comment: 'Modules start instances, complete tasks and correlate messages through process/port.ts only.',
      severity: 'error',
      from: { path: '^runtime-api/src/modules/' },
      to: { path: '^runtime-api/src/(process/(?!port\\.ts$)|identity/|forms/|demo/)' },
    },
    {
      name: 'no-import-loops',
      comment: 'Import loops make a layer impossible to read or test on its own.',
      severity: 'error',
      from: { path: '^(runtime-api|migrations|contracts)/src' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
