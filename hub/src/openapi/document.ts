import { z } from 'zod';
import { errorEnvelopeSchema } from '@pourcast/protocol';
import { routeSpecs, type RouteSpec } from '../http/route.ts';

export const API_PREFIX = '/api/v1';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const json = (schema: z.ZodType, io: 'input' | 'output') => ({
  'application/json': { schema: jsonSchema(schema, io) },
});

/** `/items/:id` → `/api/v1/items/{id}`. */
export const openApiPath = (path: string) => API_PREFIX + path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function security(spec: RouteSpec) {
  switch (spec.access.kind) {
    case 'user':
      return [{ session: [] }];
    case 'gateway':
      return [{ gatewayToken: [] }];
    default:
      return [];
  }
}

function operation(spec: RouteSpec) {
  const status = String(spec.status ?? 200);
  const errorResponse = { description: 'error envelope', content: json(errorEnvelopeSchema, 'output') };
  const right = spec.access.kind === 'user' ? ` Right: \`${spec.access.right}\`.` : '';
  return {
    operationId: `${spec.method}${spec.path.replace(/[/:{}.-]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: spec.summary,
    description: `Access: ${spec.access.kind}.${right}`,
    tags: [spec.tag],
    security: security(spec),
    parameters: [...spec.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...(spec.body ? { requestBody: { required: true, content: json(spec.body, 'input') } } : {}),
    responses: {
      [status]: spec.response
        ? { description: 'success', content: json(spec.response, 'output') }
        : { description: 'success, no body' },
      ...(spec.accepted
        ? {
            202: {
              description: 'accepted: continues in the background',
              content: json(spec.accepted, 'output'),
            },
          }
        : {}),
      default: errorResponse,
    },
  };
}

/** OpenAPI 3.1 for every route declared with `route()`, from the same zod schemas that validate them. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routeSpecs()) {
    (paths[openApiPath(spec.path)] ??= {})[spec.method] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pourcast hub',
      version: '1.0.0',
      description: 'Beverage inventory for bars: the hub API.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        gatewayToken: {
          type: 'http',
          scheme: 'bearer',
          description: '`pgw_…` token from POST /gateways/claim',
        },
      },
    },
    paths,
  };
}
