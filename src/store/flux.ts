// Flux text: literals that cannot break out of their quotes, and the variables Grafana's InfluxDB
// data source substitutes (`${host}`, `v.timeRangeStart`, `v.timeRangeStop`, `v.windowPeriod`,
// `v.defaultBucket`, `v.organization`), replaced as plain text the way Grafana does it.

import { fluxDuration, isoUtc } from '../time.js';

/** The body of a Flux string literal: backslash, quote and `${` (interpolation) escaped. */
function fluxStringBody(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${');
}

export function fluxString(value: string): string {
  return `"${fluxStringBody(value)}"`;
}

/** A Flux time literal (RFC 3339 UTC, microseconds kept). */
export function fluxTime(ms: number): string {
  return isoUtc(ms);
}

interface FluxVariables {
  readonly host: string;
  readonly start: number;
  readonly stop: number;
  readonly windowPeriodMs: number;
  readonly bucket: string;
  readonly org: string;
}

/**
 * The query with the dashboard variables filled in. `${host}` stands inside a string literal in the
 * dashboards (`r.host == "${host}"`), so it gets the escaped body; the `v.*` names become literals.
 */
export function substituteFluxVariables(flux: string, vars: FluxVariables): string {
  return flux
    .replaceAll('${host}', fluxStringBody(vars.host))
    .replaceAll('v.timeRangeStart', fluxTime(vars.start))
    .replaceAll('v.timeRangeStop', fluxTime(vars.stop))
    .replaceAll('v.windowPeriod', fluxDuration(vars.windowPeriodMs))
    .replaceAll('v.defaultBucket', fluxString(vars.bucket))
    .replaceAll('v.organization', fluxString(vars.org));
}
