// The module hooks behind trace-imports.mjs.
export async function load(url, context, nextLoad) {
  if (!url.startsWith("node:")) process.stderr.write(`module-loaded ${url}\n`);
  return nextLoad(url, context);
}
