/** Summary of a round of simulated sessions: counts, latency percentiles and failure reasons. */
import type { SessionReport } from '../agent/device-agent.js';

/** What a round of sessions came to. */
export interface FleetSummary {
  readonly total: number;
  readonly ok: number;
  readonly failed: number;
  /** Wall time of the round, ms. */
  readonly durationMs: number;
  /** Session latency percentiles, ms (nearest-rank). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Failure reasons, most frequent first. */
  readonly failures: ReadonlyArray<{ readonly reason: string; readonly count: number }>;
}

/** Nearest-rank percentile of sorted values (0 for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Builds the summary of some session reports. */
export function summarize(reports: readonly SessionReport[], durationMs: number): FleetSummary {
  const times = reports.map((r) => r.durationMs).sort((a, b) => a - b);
  const reasons = new Map<string, number>();
  for (const r of reports) {
    if (r.ok) continue;
    // Strip the varying parts (session ids, ports) so equal causes group together.
    const reason = (r.reason ?? r.end).replace(/:\d{2,5}\//g, ':*/');
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const ok = reports.filter((r) => r.ok).length;
  return {
    total: reports.length, ok, failed: reports.length - ok, durationMs,
    p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: times.at(-1) ?? 0,
    failures: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
  };
}

/** The summary as the few lines `omadm simulate` prints. */
export function formatSummary(s: FleetSummary): string {
  const lines = [
    `sessions: ${s.ok} ok, ${s.failed} failed (${s.total} total) in ${(s.durationMs / 1000).toFixed(1)} s`,
    `latency: p50 ${Math.round(s.p50Ms)} ms, p99 ${Math.round(s.p99Ms)} ms, max ${Math.round(s.maxMs)} ms`,
  ];
  for (const f of s.failures.slice(0, 5)) lines.push(`failed: ${f.count} × ${f.reason}`);
  return `${lines.join('\n')}\n`;
}
