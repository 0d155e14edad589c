import { ENGINES } from './engines.mjs';

/**
 * Vitest global setup of the smoke suite: says which engines run and which are skipped, with what
 * to install, before the run and again after it, where the summary is read. In CI (CI=true) a
 * missing engine fails the run: .ci/run installs all three, so a missing one is a broken setup.
 */
export default function report() {
  const skipped = ENGINES.flatMap((engine) => {
    const missing = engine.missing();
    return missing ? [`${engine.label} SKIPPED: ${missing}`] : [];
  });
  const running = ENGINES.filter((engine) => !engine.missing()).map((engine) => engine.label);
  const summary = [`engines: running in ${running.join(', ') || 'none'}`, ...skipped.map((line) => `engines: ${line}`)].join('\n');
  console.log(summary);
  if (skipped.length && process.env.CI) throw new Error(`CI runs the smoke suite in every engine:\n${skipped.join('\n')}`);
  return () => console.log(`\n${summary}`);
}
