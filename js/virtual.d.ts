/** The spatial-index worker's bundle, as text (scripts/build.mjs makes it). */
declare module "virtual:spatial-index-worker" {
  const source: string;
  export default source;
}
