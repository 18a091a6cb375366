export {
  eventCatalog,
  HOOK_EVENTS,
  LOGTO_HOOK_EVENTS,
  isHookEvent,
  catalogEntry,
  EVENT_CATEGORIES,
  EVENT_GROUPS,
  type HookEvent,
  type CatalogEntry,
} from './catalog.ts';
export { deliveryBody, maskSensitive, testPayload, viewPayload } from './payloads.ts';
