import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('npm run dist', () => {
  it('fails with a clear message, before building anything, when ELECTRON_DIST has no Electron in it', () => {
    const r = spawnSync(process.execPath, ['build/dist.mjs'], { env: { ...process.env, ELECTRON_DIST: '/nonexistent/electron-dist' }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('dist: ELECTRON_DIST=/nonexistent/electron-dist has no "electron" executable in it.\n');
    expect(r.stdout).toBe('');
  });

  it('packages with the hardening fuses, no native rebuild and only dist/ inside the asar', () => {
    const config = JSON.parse(readFileSync('build/electron-builder.json', 'utf8'));
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.npmRebuild).toBe(false);
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', '!node_modules/**']));
    expect(config.linux.target).toEqual(['deb', 'AppImage']);
  });
});
