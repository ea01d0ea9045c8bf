// The lazy JSON-schema compilers still validate and serialize a route that declares schemas.
import Fastify from 'fastify';
import t from 'tap';
import { lazySchemaCompilers } from '../../src/web/schema-compilers.js';

t.test('a route with a JSON schema is validated and serialized as with fastify defaults', async (t) => {
  const app = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers } });
  t.teardown(() => app.close());
  app.get(
    '/n',
    {
      schema: {
        querystring: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] },
        response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
      },
    },
    async (request) => ({ n: (request.query as { n: number }).n, secret: 'not in the schema' }),
  );
  const ok = await app.inject('/n?n=3');
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { n: 3 }, 'the query is coerced, and the response keeps only what its schema lists');
  t.equal((await app.inject('/n?n=0')).statusCode, 400, 'a value the schema refuses is a 400');
});
