// Reads a JSON array of Kubernetes documents on stdin and validates each against the JSON schema of its
// apiVersion/kind: the Kubernetes API's (kubernetes-models) and the CRDs' of the operators we deploy
// (CloudNativePG, Strimzi). Prints one JSON line per document: {"kind","name","errors":[...]}; a
// document whose kind has no schema is an error too, so nothing passes unchecked.
import { readFileSync } from "node:fs";

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const candidates = group === "" ? [`kubernetes-models/${version}`]
    : [`kubernetes-models/${group}/${version}`, `@kubernetes-models/cloudnative-pg/${group}/${version}`,
       `@kubernetes-models/strimzi-kafka-operator/${group}/${version}`];
  for (const module of candidates) {
    try {
      const models = await import(module);
      if (models[kind]) return models[kind];
    } catch (e) {
      if (e.code !== "MODULE_NOT_FOUND" && e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e;
    }
  }
  return null;
}

const input = JSON.parse(readFileSync(0, "utf8"));
for (const doc of input) {
  const Model = await modelFor(doc.apiVersion, doc.kind);
  const result = { kind: `${doc.apiVersion}/${doc.kind}`, name: doc.metadata?.name ?? "", errors: [] };
  if (!Model) {
    result.errors.push("no schema for this apiVersion/kind");
  } else {
    try {
      new Model(doc).validate();
    } catch (e) {
      const details = e.errors ?? [{ instancePath: "", message: e.message }];
      for (const d of details) result.errors.push(`${d.instancePath || "/"} ${d.message}${d.params?.additionalProperty ? ": " + d.params.additionalProperty : ""}`);
    }
  }
  console.log(JSON.stringify(result));
}
