// commander, as the CLI uses it. The build bundles this file and the package
// into dist/vendor/commander.js (scripts/bundle-vendor.mjs): one ES module
// instead of a CommonJS package that Node must scan for its exports on every
// start. Import commander through here, so that every command gets the bundle.
export { Command, CommanderError, InvalidArgumentError, Option } from "commander";
