// esbuild bundles CSS imported from the entry into app.css.
declare module '*.css';
