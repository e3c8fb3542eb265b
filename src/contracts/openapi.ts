// The API's own description: the OpenAPI 3 document generated from the contracts in this folder.
import { z } from 'zod';
import { operation } from './operation.ts';

export const openApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) });

export const getOpenApiDocument = operation({ method: 'GET', path: '/api/openapi.json', tags: ['documentation'], summary: 'This document (OpenAPI 3); a browsable copy at /api/docs', responses: { 200: openApiDocument } });
