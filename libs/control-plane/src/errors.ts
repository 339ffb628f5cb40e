import type { FieldProblem } from './model';

/** A request that names fields wrongly: the API answers 400 with every problem. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((problem) => `${problem.field} ${problem.message}`).join('; '));
  }
}

/** Something named does not exist (or is not visible to the caller): 404. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The request contradicts what exists (a duplicate slug or name, a run already finished): 409. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}
