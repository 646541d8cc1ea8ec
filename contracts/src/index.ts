// The public face of @serviceloom/contracts: the core API's schemas (TypeBox) and their types, its
// routes and paths, and the typed client. A browser bundle imports its values from
// '@serviceloom/contracts/client' (and takes only types from here), which keeps TypeBox out.
export * from './attachments.ts';
export * from './audit.ts';
export * from './auth.ts';
export * from './calendars.ts';
export * from './catalog.ts';
export * from './channels.ts';
export * from './client.ts';
export * from './common.ts';
export * from './definitions.ts';
export * from './drafts.ts';
export * from './events.ts';
export * from './forms.ts';
export * from './groups.ts';
export * from './health.ts';
export * from './identity-providers.ts';
export * from './instances.ts';
export * from './itsm-templates.ts';
export * from './jobs.ts';
export * from './notifications.ts';
export * from './paths.ts';
export * from './routes.ts';
export * from './sla.ts';
export * from './tasks.ts';
export * from './tenants.ts';
export * from './tickets.ts';
export * from './users.ts';
