import fp from 'fastify-plugin';
import { realClock, TestClock } from '../clock.ts';

export default fp(
  async (app) => {
    if (app.config.testClock) {
      const clock = new TestClock(app.config.testClockStartMs);
      app.decorate('testClock', clock);
      app.decorate('clock', clock);
      app.log.warn('SERVICELOOM_TEST_CLOCK is on: POST /api/v1/admin/clock can move time forward');
    } else {
      app.decorate('clock', realClock);
    }
  },
  { name: 'clock', dependencies: ['config'] },
);
