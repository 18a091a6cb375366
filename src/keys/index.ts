export { createKeyService, type KeyService, type ApiKeyInfo, type Principal } from './service.ts';
export { registerKeyRoutes } from './routes.ts';
