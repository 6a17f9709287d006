// Validates Kubernetes manifests against the API's schemas: node validate.mjs FILE...
// Types, formats and required fields by kubernetes-models (the OpenAPI schemas compiled); unknown fields (a typo the
// API server would drop or, with strict field validation, refuse) by the field lists of @kubernetes/client-node's
// models. Prints "ok <file> <kind>/<name>" per document; exits 1 with the reasons when one does not validate.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { ConfigMap, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";

const kinds = {
  "v1/ConfigMap": ConfigMap, "v1/Secret": Secret, "v1/Service": Service, "v1/ServiceAccount": ServiceAccount,
  "apps/v1/Deployment": Deployment, "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

const client = createRequire(import.meta.url)("@kubernetes/client-node");

/** The paths of fields the model of `type` (e.g. V1Deployment, Array<V1Container>) does not have. */
function unknownFields(value, type, path) {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, array[1], `${path}[${i}]`)) : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return Object.entries(value).flatMap(([k, v]) => unknownFields(v, map[1], `${path}.${k}`));
  const model = client[type];
  if (typeof model?.getAttributeTypeMap !== "function" || typeof value !== "object") return [];
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([k, v]) =>
    fields.has(k) ? unknownFields(v, fields.get(k), `${path}.${k}`) : [`${path}.${k}`]);
}

let failed = false;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      console.error(`${file}: not YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      failed = true;
      continue;
    }
    const object = doc.toJS();
    if (object === null) continue;
    const kind = kinds[`${object.apiVersion}/${object.kind}`];
    const name = `${object.kind}/${object.metadata?.name}`;
    if (!kind) {
      console.error(`${file}: ${name}: no schema here for ${object.apiVersion} ${object.kind}`);
      failed = true;
      continue;
    }
    try {
      new kind(object).validate();
      const version = object.apiVersion.split("/").pop();
      const unknown = unknownFields(object, version[0].toUpperCase() + version.slice(1) + object.kind, "");
      if (unknown.length > 0) throw new Error(`unknown field(s) ${unknown.join(", ")}`);
      console.log(`ok ${file} ${name}`);
    } catch (e) {
      console.error(`${file}: ${name}: ${e.message}`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);
