import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Note: the CLIs the tests start keep their default cache out of the user's home.
    env: {XDG_CACHE_HOME: join(tmpdir(), 'newsgraph-test-cache')}
  }
})
