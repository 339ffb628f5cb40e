/** Investment themes of merged work, in the order Home lists them. */
export const THEMES = [
  { theme: 'feature_delivery', label: 'Feature delivery' },
  { theme: 'operational', label: 'Operational' },
  { theme: 'maintenance', label: 'Maintenance' },
  { theme: 'quality', label: 'Quality' },
  { theme: 'risk', label: 'Risk' },
] as const;

export type Theme = (typeof THEMES)[number]['theme'];

const LABEL_THEMES: [RegExp, Theme][] = [
  [/^(security|vulnerability|cve|incident|hotfix|revert)/, 'risk'],
  [/^(bug|defect|regression|fix|test|flaky|quality)/, 'quality'],
  [/^(ops|infra|ci|cd|deploy|release|observability|monitoring|performance|perf)/, 'operational'],
  [/^(chore|refactor|tech.?debt|maintenance|cleanup|docs?|documentation|dependencies|deps)/, 'maintenance'],
  [/^(feature|feat|enhancement|story|epic)/, 'feature_delivery'],
];

const TITLE_THEMES: [RegExp, Theme][] = [
  [/^(revert\b|security\b|sec[(:!])|\bcve-\d/, 'risk'],
  [/^(fix|bugfix|hotfix|handle|test)\b|^(fix|test)[(:!]/, 'quality'],
  [/^(perf|ci|ops|build|deploy|speed up|log|monitor)\b|^(perf|ci|ops|build)[(:!]/, 'operational'],
  [
    /^(chore|refactor|remove|rename|document|docs|clean ?up|bump|upgrade)\b|^(chore|refactor|docs|style)[(:!]/,
    'maintenance',
  ],
  [/^(add|feat|implement|introduce|support|create|new)\b|^feat[(:!]/, 'feature_delivery'],
];

/**
 * A pull request's theme: its labels first (the team's own classification), then its title's
 * conventional-commit type or leading verb. Null when neither says (the PR is left out of the
 * allocation rather than guessed).
 */
export function themeOf(title: string, labels: readonly string[]): Theme | null {
  for (const label of labels) {
    const name = label.toLowerCase().replace(/^(type|kind|area)[:/ ]\s*/, '');
    for (const [pattern, theme] of LABEL_THEMES) if (pattern.test(name)) return theme;
  }
  const text = title.trim().toLowerCase();
  for (const [pattern, theme] of TITLE_THEMES) if (pattern.test(text)) return theme;
  return null;
}
