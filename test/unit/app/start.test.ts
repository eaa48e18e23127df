import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface Plan {
  mode: 'electron' | 'browser';
  command: string;
  args: string[];
  message?: string;
}
interface StartModule {
  chooseLaunch(o: {
    env: Record<string, string | undefined>;
    isRoot: boolean;
    exists: (p: string) => boolean;
    readFile: (p: string) => string;
    resolvePackage: (id: string) => string;
    nodePath?: string;
    appRoot?: string;
  }): Plan;
  missingBuild(mode: Plan['mode'], exists: (p: string) => boolean, appRoot?: string): string[];
  NOT_INSTALLED: string;
}

const start = createRequire(import.meta.url)('../../../bin/start.cjs') as StartModule;
const pkgDir = '/app/node_modules/electron';
const surroundings = (files: Record<string, string>, env: Record<string, string> = {}, isRoot = false) => ({
  env,
  isRoot,
  exists: (p: string) => p in files,
  readFile: (p: string) => files[p],
  resolvePackage: (id: string) => path.join('/app/node_modules', id),
  nodePath: '/usr/bin/node',
  appRoot: '/app',
});

describe('npm start', () => {
  it('launches Electron on the app when the binary named by path.txt exists', () => {
    const plan = start.chooseLaunch(surroundings({ [`${pkgDir}/path.txt`]: 'electron\n', [`${pkgDir}/dist/electron`]: '' }));
    expect(plan).toEqual({ mode: 'electron', command: `${pkgDir}/dist/electron`, args: ['/app'] });
  });

  it('says plainly that the binary is missing and opens the UI through carpdeck serve instead', () => {
    const plan = start.chooseLaunch(surroundings({ [`${pkgDir}/package.json`]: '{}' }));
    expect(plan.mode).toBe('browser');
    expect(plan.message).toContain("Electron's binary is not installed on this machine");
    expect(plan.message).toContain('through `carpdeck serve` instead');
    expect([plan.command, ...plan.args]).toEqual(['/usr/bin/node', '/app/bin/carpdeck.cjs', 'serve', '--open']);
  });

  it('falls back when path.txt names a binary that is not there', () => {
    const plan = start.chooseLaunch(surroundings({ [`${pkgDir}/path.txt`]: 'electron' }));
    expect(plan).toMatchObject({ mode: 'browser', message: expect.stringContaining(start.NOT_INSTALLED) });
  });

  it('uses ELECTRON_EXEC when it exists, and explains when it does not', () => {
    expect(start.chooseLaunch(surroundings({ '/opt/electron/electron': '' }, { ELECTRON_EXEC: '/opt/electron/electron' }))).toMatchObject({
      mode: 'electron',
      command: '/opt/electron/electron',
    });
    expect(start.chooseLaunch(surroundings({}, { ELECTRON_EXEC: '/opt/nothing' }))).toMatchObject({
      mode: 'browser',
      message: expect.stringContaining('ELECTRON_EXEC points at /opt/nothing'),
    });
  });

  it('never runs Electron as root: it opens the browser UI and says why', () => {
    const plan = start.chooseLaunch(surroundings({ [`${pkgDir}/path.txt`]: 'electron', [`${pkgDir}/dist/electron`]: '' }, {}, true));
    expect(plan).toMatchObject({ mode: 'browser', message: expect.stringContaining('root') });
  });

  it('builds first when the files of the chosen mode are missing', () => {
    expect(start.missingBuild('browser', () => false, '/app')).toEqual(['dist/renderer/index.html', 'dist/cli/carpdeck.cjs']);
    expect(start.missingBuild('electron', (p) => p.endsWith('index.html'), '/app')).toEqual(['dist/electron/main.cjs', 'dist/electron/preload.cjs']);
    expect(start.missingBuild('electron', () => true, '/app')).toEqual([]);
  });
});
