/**
 * Schemas of /api/v1/documents for the OpenAPI document and the serializer. The response
 * schemas list every property the routes send (the intake status, `DocumentView`, the list
 * rows of `recent` and `search`): a property missing here would be dropped from the answer.
 */
import type { FastifySchema } from 'fastify';
import type { SwaggerTransform } from '@fastify/swagger';
import { API_SECURITY, COMMON_ERRORS, dateTime, errorResponses, nullableDateTime, nullableNumber, nullableString } from '../../services/http/api-schemas.ts';

const tags = ['documents'];
const security = API_SECURITY;

/**
 * The upload's body, for the document only (added by the route's `swaggerTransform`): the
 * multipart parser leaves the body empty and the route itself answers 400 or 415, so Fastify
 * is given no body schema to check.
 */
const uploadBody = {
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'the document (PDF, DOCX, XLSX, ODT, text, image, ...)' } },
      },
    },
  },
};

export const uploadSchema = {
  tags,
  security,
  summary: 'Upload a document',
  description: 'One file field. Answers once the file is stored; reading and analysis follow (see the intake).',
  response: {
    202: {
      description: 'Stored and queued',
      type: 'object',
      required: ['intakeId', 'status'],
      properties: { intakeId: { type: 'string', format: 'uuid' }, status: { type: 'string', enum: ['received'] } },
    },
    ...errorResponses(400, 413, 415, 422, ...COMMON_ERRORS),
  },
};

/** The upload route's config: its OpenAPI operation gets the multipart body. */
export const uploadConfig: { swaggerTransform: SwaggerTransform } = {
  swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, body: uploadBody } as FastifySchema, url }),
};

export const intakeSchema = {
  tags,
  security,
  summary: 'Where an upload stands',
  response: {
    200: {
      description: 'The intake and, once stored, its document',
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        status: { type: 'string', description: 'received, stored, duplicate, rejected, ...' },
        error: { ...nullableString, description: 'why it was refused (tooLarge, unsupported, encrypted, ...)' },
        document: {
          type: ['null', 'object'],
          properties: { id: { type: 'string' }, number: { type: 'integer' }, version: { type: 'integer' }, stage: { type: 'string' } },
        },
      },
    },
    ...errorResponses(400, 404, ...COMMON_ERRORS),
  },
};

const field = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    value: { type: 'string' },
    normalized: { type: 'string' },
    start: { type: 'integer' },
    end: { type: 'integer' },
    primary: { type: 'boolean' },
  },
};

export const documentSchema = {
  tags,
  security,
  summary: 'Read a document (its latest version)',
  response: {
    200: {
      description: 'The document card data',
      type: 'object',
      properties: {
        id: { type: 'string' },
        number: { type: 'integer' },
        title: { type: 'string' },
        version: { type: 'integer' },
        versionId: { type: 'string' },
        fileName: { type: 'string' },
        kind: { type: 'string' },
        sizeBytes: { type: 'integer' },
        language: nullableString,
        category: nullableString,
        confidence: nullableNumber,
        categorySource: nullableString,
        summary: nullableString,
        stage: { type: 'string' },
        ocr: { type: 'boolean' },
        noTextLayer: { type: 'boolean' },
        createdAt: dateTime,
        expiresOn: { ...nullableDateTime, description: 'the expiry date found in the document (midnight UTC)' },
        fields: { type: 'array', items: field },
      },
    },
    ...errorResponses(400, 404, ...COMMON_ERRORS),
  },
};

export const listSchema = {
  tags,
  security,
  summary: 'Search documents, or list the recent ones',
  description: 'With `q`: full-text search (English and Russian), best first, with `rank` and `snippet`. Without: the 20 most recent, with `stage` and `createdAt`.',
  response: {
    200: {
      description: 'Matching or recent documents',
      type: 'object',
      properties: {
        documents: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              number: { type: 'integer' },
              title: { type: 'string' },
              category: nullableString,
              version: { type: 'integer' },
              stage: { type: 'string' },
              createdAt: dateTime,
              rank: { type: 'number' },
              snippet: nullableString,
            },
          },
        },
      },
    },
    ...errorResponses(400, ...COMMON_ERRORS),
  },
};
