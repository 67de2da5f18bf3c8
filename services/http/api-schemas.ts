/**
 * The pieces every REST route's schema shares: the error body, the error responses by status,
 * the bearer security requirement, and small helpers for nullable values. The OpenAPI document
 * (/api/openapi.json) is generated from these schemas, and Fastify serializes with them, so a
 * response schema must describe exactly what the route sends: a property missing from it is
 * dropped from the answer.
 */

/** The name of the bearer scheme in the OpenAPI document's `components.securitySchemes`. */
export const BEARER_SCHEME = 'bearerAuth';

/** The security requirement of a route behind `Authorization: Bearer <A2D2_API_TOKEN>`. */
export const API_SECURITY = [{ [BEARER_SCHEME]: [] as string[] }];

/** Every refusal: a machine-readable `error`, a readable `message`, and the field at fault for input errors. */
export const errorBody = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'a short code, e.g. bad_request, unauthorized, not_found, unavailable' },
    message: { type: 'string', description: 'what went wrong, in English' },
    field: { type: 'string', description: 'the field at fault (input errors, where one is known)' },
  },
} as const;

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: the message (and `field`, where known) names the field at fault',
  401: 'Missing or wrong bearer token (answered with `WWW-Authenticate: Bearer`)',
  404: 'No such resource',
  409: 'The resource is not in a state that allows this change',
  413: 'The upload is larger than the configured limit',
  415: 'Unsupported media type or file type',
  422: 'The file was read but cannot be used (encrypted, corrupt, or a ZIP bomb)',
  429: 'Rate limit exceeded (per client address); retry later',
  503: 'A store or queue is unavailable for now; retry after `Retry-After` seconds',
};

const HEADERS: Record<number, Record<string, { type: 'string'; description: string }>> = {
  401: { 'www-authenticate': { type: 'string', description: 'Bearer' } },
  503: { 'retry-after': { type: 'string', description: 'seconds to wait before retrying' } },
};

/** The error responses of a route: one entry per status, each the shared error body. */
export function errorResponses<C extends number>(...codes: C[]): Record<C, object> {
  const out = {} as Record<C, object>;
  for (const code of codes) {
    out[code] = { ...errorBody, description: DESCRIPTIONS[code] ?? 'Refused', ...(HEADERS[code] ? { headers: HEADERS[code] } : {}) };
  }
  return out;
}

/** What every bearer-protected route can answer besides its own refusals. */
export const COMMON_ERRORS = [401, 429, 503] as const;

/** A nullable string (a timestamp is sent as an ISO 8601 string). */
export const nullableString = { type: ['null', 'string'] } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['null', 'string'], format: 'date-time' } as const;
export const nullableInteger = { type: ['null', 'integer'] } as const;
export const nullableNumber = { type: ['null', 'number'] } as const;
/** Any JSON value (stored as given, e.g. a step's input or output). */
export const anyJson = { description: 'any JSON value' } as const;
