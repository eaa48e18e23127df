import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Bare Node module names are matched exactly (so `../util/addr.js` is not mistaken for `util`); `node:*` by pattern.
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'dgram', 'crypto', 'http', 'https', 'stream', 'worker_threads', 'events', 'util', 'buffer', 'process', 'zlib', 'tls', 'url'];
const restrict = (names, message) => {
  const exact = names.filter((n) => !n.includes('*'));
  const globs = names.filter((n) => n.includes('*'));
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: exact.map((name) => ({ name, message })),
        patterns: [{ group: [...globs, ...exact.map((n) => `${n}/*`)], message }],
      },
    ],
  };
};

// Zones (developers' guide): shared is pure TS; renderer sees the DOM only; electron services and daemon see
// Node only; only electron/main and electron/preload import `electron`; only the capture helper and the
// daemon's packet I/O import `cap`.
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/artifacts/**', '**/*.cjs', 'build/**/*.mjs', 'bench/**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['shared/**/*.ts'], ignores: ['shared/**/*.test.ts'], rules: restrict(['electron', 'cap', 'react', ...nodeBuiltins], 'shared/ is pure TypeScript: no Node, DOM, Electron or native code') },
  { files: ['renderer/**/*.{ts,tsx}'], ignores: ['renderer/vite.config.ts'], rules: restrict(['electron', 'cap', 'ssh2', ...nodeBuiltins], 'renderer/ sees the DOM only') },
  { files: ['electron/**/*.ts'], ignores: ['electron/main/**', 'electron/preload/**', 'electron/capture-helper/**'], rules: restrict(['electron', 'cap', 'react'], 'only electron/main and electron/preload import electron; only the capture helper imports cap') },
  { files: ['electron/capture-helper/**/*.ts'], rules: restrict(['electron', 'react'], 'the capture helper is a plain Node process') },
  { files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'], rules: restrict(['cap'], 'native capture code never runs in the Electron process') },
  { files: ['daemon/**/*.ts'], rules: restrict(['electron', 'react'], 'daemon/ sees Node only') },
);
