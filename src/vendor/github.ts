// octokit and the rate limiter it needs, as the community client uses them.
// The build bundles this file and the packages into dist/vendor/github.js
// (scripts/bundle-vendor.mjs): the community command's first requests wait for
// these to load, and one file loads in a fraction of the time of the twenty
// (ES modules and CommonJS) they come in. Import them only through here: an
// error class from the package itself would not be the bundle's, and
// `instanceof RequestError` would miss the errors octokit throws.
export { Octokit } from "@octokit/core";
export { GraphqlResponseError } from "@octokit/graphql";
export { retry } from "@octokit/plugin-retry";
export { throttling } from "@octokit/plugin-throttling";
export { RequestError } from "@octokit/request-error";
// The light build of Bottleneck: the plugins load it anyway; the full one adds clustering over Redis, unused here.
export { default as Bottleneck } from "bottleneck/light.js";
