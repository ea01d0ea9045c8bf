import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

// fastify's own compilers, resolved from fastify's folder (they are its dependencies, not ours)
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

/**
 * fastify loads ajv and fast-json-stringify (about a hundred modules, a tenth of the start) when it is created, for
 * routes that declare JSON schemas. Ours validate forms with zod and declare none, so these factories load them
 * only if a route ever does.
 */
export const lazySchemaCompilers: CompilersFactory = {
  buildValidator: ((schemas: unknown, options: unknown) => fromFastify('@fastify/ajv-compiler')()(schemas, options)) as CompilersFactory['buildValidator'],
  buildSerializer: ((schemas: unknown, options: unknown) =>
    fromFastify('@fastify/fast-json-stringify-compiler')()(schemas, options)) as CompilersFactory['buildSerializer'],
};
