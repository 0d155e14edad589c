// CSS files are imported as text by esbuild (loader: text) and by vitest (see vitest.config.ts),
// then adopted as constructable stylesheets inside the shadow roots.
declare module '*.css' {
  const css: string;
  export default css;
}
