// Bundles the extension (and its integration test) with esbuild: the .vsix carries
// out/extension.js alone, no node_modules.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  sourcemap: true,
  logLevel: 'info',
};
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'out/extension.js', minify: !watch },
  // Runs inside the extension host of the integration test (test/ci.sh); never packaged.
  { ...common, entryPoints: ['test/suite/index.ts'], outfile: 'out/test/suite.js' },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
