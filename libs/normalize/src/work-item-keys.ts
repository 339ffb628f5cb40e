/**
 * Issue keys as Jira writes them (project key, dash, number: PAY-123), in the order first mentioned.
 * Upper case only, like Jira's own development panel: "pay-123" in a branch is not a reference.
 * Look-alikes (UTF-8, SHA-256) are kept: a key is resolved against the work items it could name where
 * links are read, so one that names no work item links nothing.
 */
const ISSUE_KEY = /(?<![A-Za-z0-9_-])([A-Z][A-Z0-9_]{0,9}-[1-9]\d{0,8})(?![A-Za-z0-9])/g;

export function workItemKeys(...texts: (string | null | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const text of texts) for (const match of (text ?? '').matchAll(ISSUE_KEY)) keys.add(match[1] ?? '');
  keys.delete('');
  return [...keys];
}
