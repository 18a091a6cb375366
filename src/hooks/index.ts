export { createHookService, validateConfig, type HookService } from './service.ts';
export { registerHookRoutes } from './routes.ts';
export type { Hook, HookConfig } from './schemas.ts';
