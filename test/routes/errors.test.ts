import t from 'tap';
import { Agent, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';

t.test('an unexpected error gets a 500 page that reveals nothing', async (t) => {
  const { app } = await build(t, {}, {
    beforeReady: (app) => {
      app.get('/boom', async () => {
        throw new Error('secret internal detail: connection string postgres://user:pw@db');
      });
      app.post('/boom', async () => {
        throw new Error('secret internal detail');
      });
    },
  });
  const agent = await signUp(app);
  const res = await agent.get('/boom');
  t.equal(res.statusCode, 500);
  t.match(res.body, '<h1>Sorry, there is a problem with the service</h1>');
  t.notMatch(res.body, 'secret');
  t.notMatch(res.body, 'at ');
  const post = await agent.post('/boom', {});
  t.equal(post.statusCode, 500);
  t.notMatch(post.body, 'secret');
});

t.test('malformed or oversized requests get a 4xx page, never a 500', async (t) => {
  const { app } = await build(t);
  const agent = new Agent(app);
  await agent.get('/signup');
  const json = await app.inject({ method: 'POST', url: '/signup', headers: { 'content-type': 'application/json', cookie: `accord_csrf=${agent.cookies.get('accord_csrf')}` }, payload: '{bad json' });
  t.ok(json.statusCode >= 400 && json.statusCode < 500, `bad JSON: ${json.statusCode}`);
  const huge = await agent.post('/signup', { organizationName: 'x'.repeat(70 * 1024) });
  t.equal(huge.statusCode, 413);
  t.match(huge.body, 'Too much data');
  const weird = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
  t.ok(weird.statusCode >= 400 && weird.statusCode < 500, `text/plain: ${weird.statusCode}`);
  const arrays = await agent.post('/login', { email: ['a@b.test', 'c@d.test'], password: ['x', 'y'] });
  t.equal(arrays.statusCode, 422, 'repeated fields are a validation error');
});
