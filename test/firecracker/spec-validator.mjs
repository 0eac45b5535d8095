// Validates API requests (method, path, JSON body) against Firecracker's
// published API specification, ../shared/specs/firecracker-api-v1.16.1.yaml
// (Swagger 2.0), read from there at run time. Shared by the stand-in
// (fake-firecracker.mjs) and the tests that prove the validator rejects bad bodies.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import YAML from "yaml";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SPEC_PATH = process.env.FIRECRACKER_API_SPEC || path.resolve(PROJECT_ROOT, "../shared/specs/firecracker-api-v1.16.1.yaml");

/**
 * Firecracker's request types are serde structs with deny_unknown_fields: an
 * unknown field is a 400 although the Swagger objects do not say
 * additionalProperties: false. Objects that allow extras say so explicitly
 * (MMDS contents), and keep them.
 */
function denyUnknownFields(schema) {
  if (Array.isArray(schema)) return schema.map(denyUnknownFields);
  if (schema === null || typeof schema !== "object") return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, denyUnknownFields(value)]));
  if (copy.properties && !("additionalProperties" in copy)) copy.additionalProperties = false;
  return copy;
}

export function loadSpecValidator(specPath = SPEC_PATH) {
  const spec = YAML.parse(readFileSync(specPath, "utf8"));
  if (spec.swagger !== "2.0" || !spec.paths || !spec.definitions) throw new Error(`${specPath} is not a Swagger 2.0 specification`);
  // Swagger's "example" and formats such as int64 are annotations here, not constraints.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  ajv.addSchema({ $id: "firecracker", definitions: denyUnknownFields(spec.definitions) });
  const routes = Object.entries(spec.paths).map(([template, item]) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`),
    item,
  }));
  const compiled = new Map();
  const validatorFor = (schema) => {
    const key = JSON.stringify(schema);
    if (!compiled.has(key)) compiled.set(key, ajv.compile(JSON.parse(key.replaceAll('"#/definitions/', '"firecracker#/definitions/'))));
    return compiled.get(key);
  };

  /** { ok: true, operationId } or { ok: false, errors: [...] } for one request; body is the parsed JSON or undefined. */
  function validate(method, requestPath, body) {
    const route = routes.find((r) => r.pattern.test(requestPath));
    if (!route) return { ok: false, errors: [`${requestPath} is not a path of the Firecracker API`] };
    const operation = route.item[method.toLowerCase()];
    if (!operation) return { ok: false, errors: [`${method} is not a method of ${route.template}`] };
    const bodyParameter = (operation.parameters ?? []).find((p) => p.in === "body");
    if (!bodyParameter) {
      return body === undefined ? { ok: true, operationId: operation.operationId } : { ok: false, errors: [`${method} ${route.template} takes no body`] };
    }
    if (body === undefined) {
      return bodyParameter.required ? { ok: false, errors: [`${method} ${route.template} requires a body`] } : { ok: true, operationId: operation.operationId };
    }
    const check = validatorFor(bodyParameter.schema);
    if (check(body)) return { ok: true, operationId: operation.operationId };
    return { ok: false, errors: check.errors.map((e) => `${e.instancePath || "(body)"} ${e.message}${e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : ""}`) };
  }

  return { version: spec.info?.version, validate };
}
