/** Small builders shared by the OpenAPI document's parts (openapi.ts, openapi-fumo.ts). */

/** A JSON value of the OpenAPI document. */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** A reference to a component schema. */
export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
/** A string schema. */
export const str: Json = { type: 'string' };
/** An integer schema. */
export const int: Json = { type: 'integer' };
/** An ISO 8601 date-time schema. */
export const time: Json = { type: 'string', format: 'date-time' };
/** A string enumeration schema. */
export const oneOfStrings = (values: readonly string[]): Json => ({ type: 'string', enum: [...values] });
/** A cursor page of `item`. */
export const page = (item: string): Json => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref(item) }, nextCursor: str } });
/** A JSON response. */
export const json = (schema: Json, description = 'OK'): Json => ({ description, content: { 'application/json': { schema } } });
/** A JSON request body. */
export const jsonBody = (schema: Json, required = true): Json => ({ required, content: { 'application/json': { schema } } });
/** An error response. */
export const errorResponse = (description: string): Json => json(ref('Error'), description);
/** An optional query parameter. */
export const q = (name: string, description: string, schema: Json = str): Json => ({ name, in: 'query', required: false, description, schema });
/** The `{id}` path parameter. */
export const idParam = (what: string): Json => ({ name: 'id', in: 'path', required: true, description: `${what} id (URL-encoded)`, schema: str });
/** The 401 answer of every authenticated route. */
export const unauthorized: Json = errorResponse('Missing or invalid bearer token (ERR_API_UNAUTHORIZED)');
/** The 400 and 401 answers every authenticated route can give. */
export const commonErrors: Record<string, Json> = {
  '400': errorResponse('Invalid request (ERR_API_VALIDATION, ERR_QUEUE_COMMAND_INVALID)'),
  '401': unauthorized,
};
