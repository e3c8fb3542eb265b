// Turns a route's answer into JSON through its declared response schema: a serializer compiled once per
// route (fast-json-stringify from the schema's JSON Schema), which also writes only the declared fields, so
// an internal column can never leak into an answer. In tests every answer is first checked against the
// zod schema itself and a mismatch fails the request loudly, naming the route: a contract that drifts
// from what the server sends is caught by every test that calls the route, not by a list kept by hand.
// Answers sent as ready JSON text (a dossier's stored JSON spliced in) bypass serialisation altogether.
import fastJson from 'fast-json-stringify';
import { z } from 'zod';

export class ResponseContractError extends Error {
  constructor(route: string, issues: string) {
    super(`the answer of ${route} does not match its response schema: ${issues}`);
    this.name = 'ResponseContractError';
  }
}

/** zod schema → JSON Schema for fast-json-stringify (draft-07, the output side of transforms). */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> | null {
  try {
    return z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function compile(schema: z.ZodType): (data: unknown) => string {
  const json = jsonSchemaOf(schema);
  if (!json) return (d) => JSON.stringify(d);
  try {
    const stringify = fastJson(json as never);
    return (d) => stringify(d as never);
  } catch {
    // a shape fast-json-stringify cannot compile (rare unions): plain JSON, the presenter still decides the fields
    return (d) => JSON.stringify(d);
  }
}

/** Fastify's serializer compiler; `checkContracts` (tests) validates every answer against its zod schema first. */
export function serializerCompilerFor(checkContracts: boolean) {
  return ({ schema, method, url }: { schema: unknown; method: string; url: string }) => {
    const zs = schema as z.ZodType;
    const write = compile(zs);
    if (!checkContracts) return write;
    return (data: unknown) => {
      const r = zs.safeParse(data);
      if (!r.success) throw new ResponseContractError(`${method} ${url}`, z.prettifyError(r.error));
      return write(data);
    };
  };
}
