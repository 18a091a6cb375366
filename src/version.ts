/** Herald's version, as in package.json; shown in the OpenAPI document, the CLI and the User-Agent. */
export const HERALD_VERSION = '0.1.0';
