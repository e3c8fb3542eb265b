// An API operation described once, as data: its method and path, and zod schemas for what goes in and
// what comes out. The server registers its route from it (src/server/http/route.ts), the OpenAPI document
// is generated from it, and the browser calls it through the typed client (src/web/api/call.ts), so the
// form, the API and its docs cannot disagree. Contracts import zod and src/domain only.
import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OperationShape {
  readonly method: Method;
  /** Fastify-style path: `/api/dossiers/:dossierId` */
  readonly path: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** the answers by status; errors share one shape (common.ts: errorBody) and are not listed */
  readonly responses: Readonly<Record<number, z.ZodType>>;
  /** a file answer (PDF, XLSX): its media type; the response schema then documents nothing but that */
  readonly produces?: string;
  /** a request body other than JSON (a multipart upload): its media type; `body` is then left out */
  readonly consumes?: string;
}

/** Declares an operation; `const` keeps its literal types, so both sides infer exact shapes from it. */
export function operation<const O extends OperationShape>(o: O): O {
  return o;
}

type Infer<S, Fallback> = S extends z.ZodType ? z.input<S> : Fallback;

/** What a client sends as path parameters, query, body. */
export type ParamsOf<O extends OperationShape> = Infer<O['params'], undefined>;
export type QueryOf<O extends OperationShape> = Infer<O['query'], undefined>;
export type BodyOf<O extends OperationShape> = Infer<O['body'], undefined>;

/** The success status an operation declares (200, 201 …), else its first one. */
type SuccessStatus<O extends OperationShape> = [Extract<keyof O['responses'], 200 | 201 | 202 | 204>] extends [never]
  ? keyof O['responses']
  : Extract<keyof O['responses'], 200 | 201 | 202 | 204>;

/** What a client receives on success. */
export type ResponseOf<O extends OperationShape, S extends keyof O['responses'] = SuccessStatus<O>> = O['responses'][S] extends z.ZodType
  ? z.output<O['responses'][S]>
  : never;
