import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface DemoModule {
  demoPlan(o: { isRoot: boolean; platform: string; nodePath?: string; appRoot?: string }):
    | { error: string; steps?: undefined }
    | { error?: undefined; steps: { what: string; command: string; args: string[] }[] };
}

const demo = createRequire(import.meta.url)('../../../bin/demo.cjs') as DemoModule;

describe('npm run demo', () => {
  it('builds the lab first and then starts the app, both with the running node', () => {
    const plan = demo.demoPlan({ isRoot: true, platform: 'linux', nodePath: '/usr/bin/node', appRoot: '/app' });
    expect(plan.error).toBeUndefined();
    expect(plan.steps).toEqual([
      { what: 'lab', command: '/usr/bin/node', args: ['/app/bin/carpdeck.cjs', 'lab', 'up'] },
      { what: 'app', command: '/usr/bin/node', args: ['/app/bin/start.cjs'] },
    ]);
  });

  it('refuses without root and says how to run it instead', () => {
    const plan = demo.demoPlan({ isRoot: false, platform: 'linux' });
    expect(plan.error).toMatch(/needs root/);
    expect(plan.error).toMatch(/sudo npm run demo/);
    expect(plan.steps).toBeUndefined();
  });

  it('refuses off Linux, pointing at npm start for the app alone', () => {
    const plan = demo.demoPlan({ isRoot: true, platform: 'darwin' });
    expect(plan.error).toMatch(/network namespaces/);
    expect(plan.error).toMatch(/npm start/);
  });
});
