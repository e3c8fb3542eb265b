// Registers a route from its contract (src/contracts): method, path and every schema come from the one
// description the browser and the OpenAPI document use too. A feature writes
//   r.route({ ...routeOf(c.getDossier), config: { access: 'action', action: 'candidate.read' }, handler })
// and the handler's request and reply are typed from the contract's schemas (ZodTypeProvider).
import type { OperationShape } from '../../contracts/operation.ts';

interface RouteParts<O extends OperationShape> {
  method: O['method'];
  url: string;
  schema: {
    summary?: string;
    description?: string;
    tags?: string[];
    produces?: string[];
    consumes?: string[];
    params: O['params'];
    querystring: O['query'];
    body: O['body'];
    response: O['responses'];
  };
}

/** The method, URL and schema of a contract's route (spread into Fastify's route options). */
export function routeOf<const O extends OperationShape>(op: O): RouteParts<O> {
  const schema: Record<string, unknown> = { response: op.responses };
  if (op.summary) schema['summary'] = op.summary;
  if (op.description) schema['description'] = op.description;
  if (op.tags) schema['tags'] = [...op.tags];
  if (op.params) schema['params'] = op.params;
  if (op.query) schema['querystring'] = op.query;
  if (op.body) schema['body'] = op.body;
  // the OpenAPI document names the media type of a file answer or an upload; the bytes are sent as they are
  // (Fastify serialises neither a Buffer nor a stream)
  if (op.produces) schema['produces'] = [op.produces];
  if (op.consumes) schema['consumes'] = [op.consumes];
  return { method: op.method, url: op.path, schema: schema as RouteParts<O>['schema'] };
}
