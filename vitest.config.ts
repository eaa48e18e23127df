import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Layers (house style): unit = pure functions and in-process services; renderer = React components in
// happy-dom; lab = network namespaces with real peers (root, serial); e2e = Debian Chromium through
// `carpdeck serve`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts', 'shared/**/*.test.ts', 'daemon/**/*.test.ts', 'electron/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.tsx', 'renderer/**/*.test.tsx'],
        },
      },
      {
        test: {
          name: 'lab',
          environment: 'node',
          include: ['test/lab/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
