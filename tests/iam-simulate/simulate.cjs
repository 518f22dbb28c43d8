// Runs each request of a case file through @cloud-copilot/iam-simulate, an
// independent IAM policy simulator used only as an out-of-process test oracle
// (AGPL-3.0-or-later: never vendored, never linked; installed from the pinned
// package-lock.json with `npm ci`).
//
//   node simulate.cjs CASES.json RESULTS.json
//
// CASES.json: [{"id", "principal", "action", "resource", "accountId",
// "context", "identityPolicies": [{"name", "policy"}], "resourcePolicy"}]
// RESULTS.json: [{"id", "decision", "ignoredContextKeys", "errors"}], where
// decision is "Allowed", "ExplicitlyDenied", "ImplicitlyDenied" or null when
// the simulator refused the input (errors says why).
'use strict';

const fs = require('node:fs');
const { runSimulation } = require('@cloud-copilot/iam-simulate');

async function simulate(request) {
  const simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.accountId },
      contextVariables: request.context,
    },
    identityPolicies: request.identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  if (request.resourcePolicy) {
    simulation.resourcePolicy = request.resourcePolicy;
  }
  const result = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    return { id: request.id, decision: null, ignoredContextKeys: [], errors: result.errors };
  }
  const ignored = result.resultType === 'single'
    ? result.result.ignoredContextKeys || []
    : result.results.flatMap((r) => r.ignoredContextKeys || []);
  return { id: request.id, decision: result.overallResult, ignoredContextKeys: ignored, errors: null };
}

async function main() {
  const [casesPath, resultsPath] = process.argv.slice(2);
  if (!casesPath || !resultsPath) {
    console.error('usage: node simulate.cjs CASES.json RESULTS.json');
    process.exit(2);
  }
  const requests = JSON.parse(fs.readFileSync(casesPath, 'utf8'));
  const results = [];
  for (const request of requests) {
    try {
      results.push(await simulate(request));
    } catch (error) {
      results.push({ id: request.id, decision: null, ignoredContextKeys: [], errors: { message: String(error) } });
    }
  }
  fs.writeFileSync(resultsPath, JSON.stringify(results));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
