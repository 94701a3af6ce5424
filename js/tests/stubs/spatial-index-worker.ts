// vitest has no bundled worker: with no source, spatial indexes are built on the main thread.
export default "";
