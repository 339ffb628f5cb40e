/**
 * Tells, while a branch's history is read newest first (as GitHub's commit history API pages it),
 * which commits no published head reaches — the API's answer to `git log HEAD --not <published>`,
 * computed from each commit's parents as the pages arrive.
 *
 * `visit` every commit in history order; stop when `done`. A commit is new unless a published head
 * was found to reach it; its unseen parents stay pending until seen. When nothing pending remains,
 * every commit still to come is reached by a published head. Clock skew can show a commit before the
 * published descendant that reaches it: it is then published again (the sinks are idempotent), never
 * missed. `publishedNow` holds what this run already published (another branch's walk), shared and added to.
 */
export class UnpublishedCommits {
  /** Commits a published head reaches, as far as the walk has seen. */
  private readonly reached = new Set<string>();
  /** Parents of new commits not seen yet. */
  private readonly pending = new Set<string>();
  private started = false;

  constructor(
    publishedHeads: Iterable<string>,
    private readonly publishedNow = new Set<string>(),
  ) {
    for (const head of publishedHeads) this.reached.add(head);
  }

  /** Whether `sha` is new (to publish). */
  visit(sha: string, parents: readonly string[]): boolean {
    this.started = true;
    this.pending.delete(sha);
    // Published now: its ancestors were too, or a published head reaches them.
    if (this.reached.has(sha) || this.publishedNow.has(sha)) {
      for (const parent of parents) {
        this.reached.add(parent);
        this.pending.delete(parent);
      }
      return false;
    }
    for (const parent of parents) if (!this.reached.has(parent)) this.pending.add(parent);
    this.publishedNow.add(sha);
    return true;
  }

  /** No commit still to come can be new. */
  get done(): boolean {
    return this.started && this.pending.size === 0;
  }
}
