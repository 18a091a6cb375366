export { createKeyService, type KeyService, type Principal } from './service.ts';
export type { ApiKey, CreatedApiKey } from './schemas.ts';
export { registerKeyRoutes } from './routes.ts';
