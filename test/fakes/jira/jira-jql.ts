import { type FakeJiraDataset, type FakeJiraIssue, findJiraIssue, parseJiraDate, zonedTimeToUtc } from './jira-dataset';

/**
 * The JQL a connector writes, parsed and run like Jira does: clauses on project, issuetype, status,
 * statusCategory, labels, key/id, assignee/reporter, parent and the dates (created, updated, resolved)
 * with = != > >= < <= IN / NOT IN / IS [NOT] EMPTY, joined by AND / OR / NOT and parentheses, then
 * ORDER BY. Field names, keywords and values are case-insensitive; dates are read in the searching
 * user's time zone. Mistakes fail with Jira's messages (a 400 to the caller).
 */

export class JqlError extends Error {}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'punct'; text: '(' | ')' | ','; at: number };

export type JqlOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

export type JqlClause =
  | { kind: 'and' | 'or'; clauses: JqlClause[] }
  | { kind: 'not'; clause: JqlClause }
  | { kind: 'term'; field: string; operator: JqlOperator; values: string[]; empty: boolean };

export interface JqlSort {
  field: string;
  direction: 'asc' | 'desc';
}

export interface JqlQuery {
  where: JqlClause | null;
  orderBy: JqlSort[];
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (/\s/.test(char)) {
      index++;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punct', text: char, at: index });
      index++;
    } else if (char === '"' || char === "'") {
      let value = '';
      let end = index + 1;
      while (end < text.length && text[end] !== char) {
        if (text[end] === '\\' && end + 1 < text.length) end++;
        value += text[end] ?? '';
        end++;
      }
      if (end >= text.length)
        throw new JqlError(
          `Error in the JQL Query: The quoted string '${value}' has not been completed. (line 1, character ${index + 1})`,
        );
      tokens.push({ kind: 'string', text: value, at: index });
      index = end + 1;
    } else {
      const op = /^(>=|<=|!=|!~|=|>|<|~)/.exec(text.slice(index))?.[1];
      if (op) {
        tokens.push({ kind: 'op', text: op, at: index });
        index += op.length;
        continue;
      }
      const word = /^[^\s(),=!<>~"']+/.exec(text.slice(index))?.[0];
      if (!word)
        throw new JqlError(
          `Error in the JQL Query: The character '${char}' is a reserved JQL character. (line 1, character ${index + 1})`,
        );
      tokens.push({ kind: 'word', text: word, at: index });
      index += word.length;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): JqlQuery {
    const where = this.atKeyword('order') || this.peek() === undefined ? null : this.or();
    const orderBy: JqlSort[] = [];
    if (this.atKeyword('order')) {
      this.position++;
      this.expectKeyword('by');
      do {
        const field = this.value('a field to order by');
        const direction = this.atKeyword('asc') || this.atKeyword('desc') ? this.next().text.toLowerCase() : 'asc';
        orderBy.push({ field, direction: direction === 'desc' ? 'desc' : 'asc' });
      } while (this.punct(','));
    }
    const rest = this.peek();
    if (rest)
      throw new JqlError(
        `Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${rest.text}'. (line 1, character ${rest.at + 1})`,
      );
    return { where, orderBy };
  }

  private or(): JqlClause {
    const clauses = [this.and()];
    while (this.atKeyword('or')) {
      this.position++;
      clauses.push(this.and());
    }
    return clauses.length === 1 ? (clauses[0] as JqlClause) : { kind: 'or', clauses };
  }

  private and(): JqlClause {
    const clauses = [this.not()];
    while (this.atKeyword('and')) {
      this.position++;
      clauses.push(this.not());
    }
    return clauses.length === 1 ? (clauses[0] as JqlClause) : { kind: 'and', clauses };
  }

  private not(): JqlClause {
    if (this.atKeyword('not')) {
      this.position++;
      return { kind: 'not', clause: this.not() };
    }
    if (this.punct('(')) {
      const inner = this.or();
      if (!this.punct(')')) this.fail("')'");
      return inner;
    }
    return this.term();
  }

  private term(): JqlClause {
    const field = this.value('a field name');
    const token = this.peek();
    let operator: JqlOperator;
    if (token?.kind === 'op') {
      this.position++;
      operator = token.text as JqlOperator;
    } else if (this.atKeyword('in')) {
      this.position++;
      operator = 'in';
    } else if (this.atKeyword('not')) {
      this.position++;
      this.expectKeyword('in');
      operator = 'not in';
    } else if (this.atKeyword('is')) {
      this.position++;
      operator = 'is';
      if (this.atKeyword('not')) {
        this.position++;
        operator = 'is not';
      }
    } else return this.fail('an operator');
    if (operator === 'is' || operator === 'is not') {
      if (!this.atKeyword('empty') && !this.atKeyword('null')) return this.fail("'EMPTY' or 'NULL'");
      this.position++;
      return { kind: 'term', field, operator, values: [], empty: true };
    }
    if (operator === 'in' || operator === 'not in') {
      if (!this.punct('(')) return this.fail("'('");
      const values = [this.value('a value')];
      while (this.punct(',')) values.push(this.value('a value'));
      if (!this.punct(')')) return this.fail("')'");
      return { kind: 'term', field, operator, values, empty: false };
    }
    if (this.atKeyword('empty') || this.atKeyword('null')) {
      this.position++;
      return { kind: 'term', field, operator, values: [], empty: true };
    }
    return { kind: 'term', field, operator, values: [this.value('a value')], empty: false };
  }

  private value(what: string): string {
    const token = this.peek();
    if (token?.kind === 'string') {
      this.position++;
      return token.text;
    }
    if (token?.kind === 'word' && !KEYWORDS.has(token.text.toLowerCase())) {
      this.position++;
      return token.text;
    }
    return this.fail(what);
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (!token) return this.fail('more');
    return token;
  }

  private atKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private punct(text: string): boolean {
    const token = this.peek();
    if (token?.kind === 'punct' && token.text === text) {
      this.position++;
      return true;
    }
    return false;
  }

  private expectKeyword(keyword: string): void {
    if (!this.atKeyword(keyword)) this.fail(`'${keyword.toUpperCase()}'`);
    this.position++;
  }

  private fail(expected: string): never {
    const token = this.peek();
    throw new JqlError(
      token
        ? `Error in the JQL Query: Expecting ${expected} but got '${token.text}'. (line 1, character ${token.at + 1})`
        : `Error in the JQL Query: Expecting ${expected} before the end of the query.`,
    );
  }
}

export function parseJql(text: string): JqlQuery {
  return new Parser(tokenize(text)).parse();
}

// ---- evaluation -----------------------------------------------------------------------------------

export interface JqlContext {
  dataset: FakeJiraDataset;
  /** The searching user's zone: JQL dates are wall-clock times there. */
  timeZone: string;
  now: number;
  /** The searching user (currentUser()). */
  accountId: string;
}

type Field = 'project' | 'issuetype' | 'status' | 'statusCategory' | 'labels' | 'key' | 'id' | 'assignee' | 'reporter';
type DateField = 'created' | 'updated' | 'resolutiondate';

const FIELD_ALIASES: Record<string, Field | DateField> = {
  project: 'project',
  issuetype: 'issuetype',
  type: 'issuetype',
  status: 'status',
  statuscategory: 'statusCategory',
  category: 'statusCategory',
  labels: 'labels',
  label: 'labels',
  key: 'key',
  issuekey: 'key',
  issue: 'key',
  id: 'id',
  assignee: 'assignee',
  reporter: 'reporter',
  parent: 'key',
  created: 'created',
  createddate: 'created',
  updated: 'updated',
  updateddate: 'updated',
  resolved: 'resolutiondate',
  resolutiondate: 'resolutiondate',
};

const fieldOf = (name: string) => {
  const field = FIELD_ALIASES[name.toLowerCase()];
  if (!field) throw new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`);
  return field;
};

const valueError = (value: string, field: string) =>
  new JqlError(`The value '${value}' does not exist for the field '${field}'.`);

const DATE_FORMATS =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

/** A JQL date: an absolute wall-clock time in the user's zone, or a period relative to now (-5d, -2h 30m). */
export function jqlDate(value: string, field: string, context: JqlContext): number {
  const absolute = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value.trim());
  if (absolute) {
    const [, year, month, day, hour, minute] = absolute.map(Number);
    return zonedTimeToUtc(context.timeZone, year ?? 0, month ?? 1, day ?? 1, hour || 0, minute || 0);
  }
  const relative = /^([-+]?)((?:\d+[wdhm]\s*)+)$/.exec(value.trim());
  if (relative) {
    const units: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 };
    const span = [...(relative[2] ?? '').matchAll(/(\d+)([wdhm])/g)].reduce(
      (sum, [, amount, unit]) => sum + Number(amount) * (units[unit ?? 'm'] ?? 0),
      0,
    );
    return context.now + (relative[1] === '-' ? -span : span);
  }
  throw new JqlError(`Date value '${value}' for field '${field}' is invalid. ${DATE_FORMATS}`);
}

type Predicate = (issue: FakeJiraIssue) => boolean;

/** Checks every clause against the site (unknown fields, projects, statuses fail here) and compiles it. */
export function compileJql(query: JqlQuery, context: JqlContext): Predicate {
  return query.where ? compileClause(query.where, context) : () => true;
}

function compileClause(clause: JqlClause, context: JqlContext): Predicate {
  switch (clause.kind) {
    case 'and': {
      const parts = clause.clauses.map((part) => compileClause(part, context));
      return (issue) => parts.every((part) => part(issue));
    }
    case 'or': {
      const parts = clause.clauses.map((part) => compileClause(part, context));
      return (issue) => parts.some((part) => part(issue));
    }
    case 'not': {
      const inner = compileClause(clause.clause, context);
      return (issue) => !inner(issue);
    }
    case 'term':
      return compileTerm(clause, context);
  }
}

function unsupported(operator: string, field: string): JqlError {
  return new JqlError(`The operator '${operator.toUpperCase()}' is not supported by the '${field}' field.`);
}

function compileTerm(term: Extract<JqlClause, { kind: 'term' }>, context: JqlContext): Predicate {
  const field = fieldOf(term.field);
  const { dataset } = context;
  const { operator } = term;
  if (field === 'created' || field === 'updated' || field === 'resolutiondate') {
    const read = (issue: FakeJiraIssue) => {
      const text = issue[field];
      return text === null ? null : parseJiraDate(text);
    };
    if (term.empty) {
      if (operator !== '=' && operator !== '!=' && operator !== 'is' && operator !== 'is not')
        throw unsupported(operator, term.field);
      const negate = operator === '!=' || operator === 'is not';
      return (issue) => (read(issue) === null) !== negate;
    }
    const instants = term.values.map((value) => jqlDate(value, term.field, context));
    const compare: Record<string, (at: number, bound: number) => boolean> = {
      '=': (at, bound) => at === bound,
      '!=': (at, bound) => at !== bound,
      '>': (at, bound) => at > bound,
      '>=': (at, bound) => at >= bound,
      '<': (at, bound) => at < bound,
      '<=': (at, bound) => at <= bound,
    };
    if (operator === 'in' || operator === 'not in')
      return (issue) => {
        const at = read(issue);
        return at !== null && instants.includes(at) === (operator === 'in');
      };
    const test = compare[operator];
    if (!test) throw unsupported(operator, term.field);
    const bound = instants[0] ?? 0;
    return (issue) => {
      const at = read(issue);
      return at !== null && test(at, bound);
    };
  }

  if (operator !== '=' && operator !== '!=' && operator !== 'in' && operator !== 'not in') {
    if (!(term.empty && (operator === 'is' || operator === 'is not'))) throw unsupported(operator, term.field);
  }
  const negate = operator === '!=' || operator === 'not in' || operator === 'is not';
  const parentClause = term.field.toLowerCase() === 'parent';

  // Each value resolves to what an issue is compared with; an unknown one is an error, as in Jira.
  let accepts: (issue: FakeJiraIssue) => boolean;
  const lower = term.values.map((value) => value.toLowerCase());
  switch (field) {
    case 'project': {
      const ids = term.values.map((value) => {
        const project = dataset.projects.find(
          (candidate) =>
            candidate.id === value ||
            candidate.key.toLowerCase() === value.toLowerCase() ||
            candidate.name.toLowerCase() === value.toLowerCase(),
        );
        if (!project) throw valueError(value, 'project');
        return project.id;
      });
      accepts = (issue) => ids.includes(issue.projectId);
      break;
    }
    case 'issuetype': {
      const ids = term.values.map((value) => {
        const type = dataset.issueTypes.find(
          (candidate) => candidate.id === value || candidate.name.toLowerCase() === value.toLowerCase(),
        );
        if (!type) throw valueError(value, 'issuetype');
        return type.id;
      });
      accepts = (issue) => ids.includes(issue.issueTypeId);
      break;
    }
    case 'status': {
      const ids = term.values.map((value) => {
        const status = dataset.statuses.find(
          (candidate) => candidate.id === value || candidate.name.toLowerCase() === value.toLowerCase(),
        );
        if (!status) throw valueError(value, 'status');
        return status.id;
      });
      accepts = (issue) => ids.includes(issue.statusId);
      break;
    }
    case 'statusCategory': {
      const keys = term.values.map((value) => {
        const category = dataset.statusCategories.find(
          (candidate) =>
            String(candidate.id) === value ||
            candidate.key === value.toLowerCase() ||
            candidate.name.toLowerCase() === value.toLowerCase(),
        );
        if (!category) throw valueError(value, 'statusCategory');
        return category.key;
      });
      accepts = (issue) =>
        keys.includes(dataset.statuses.find((status) => status.id === issue.statusId)?.category ?? 'new');
      break;
    }
    case 'labels':
      accepts = term.empty
        ? (issue) => issue.labels.length === 0
        : (issue) => issue.labels.some((label) => lower.includes(label.toLowerCase()));
      break;
    case 'assignee':
    case 'reporter': {
      const ids = term.values.map((value) => {
        if (value.toLowerCase() === 'currentuser()') return context.accountId;
        const user = dataset.users.find(
          (candidate) =>
            candidate.accountId === value ||
            candidate.name === value.toLowerCase() ||
            candidate.key === value ||
            candidate.emailAddress === value.toLowerCase(),
        );
        if (!user) throw valueError(value, term.field);
        return user.accountId;
      });
      const read = (issue: FakeJiraIssue) => (field === 'assignee' ? issue.assigneeId : issue.reporterId);
      accepts = term.empty ? (issue) => read(issue) === null : (issue) => ids.includes(read(issue) ?? '');
      break;
    }
    case 'key':
    case 'id': {
      // Old keys of moved issues still find them; a key that never existed is an error.
      const ids = term.values.map((value) => {
        const issue = findJiraIssue(dataset, value);
        if (!issue) {
          if (/^\d+$/.test(value) || field === 'id') throw valueError(value, term.field);
          throw new JqlError(`An issue with key '${value.toUpperCase()}' does not exist for field '${term.field}'.`);
        }
        return issue.id;
      });
      accepts = parentClause
        ? term.empty
          ? (issue) => issue.parentId === null
          : (issue) => ids.includes(issue.parentId ?? '')
        : (issue) => ids.includes(issue.id);
      break;
    }
  }
  return (issue) => accepts(issue) !== negate;
}

/** Jira's key order: by project key, then by number. */
export function compareKeys(a: string, b: string): number {
  const [projectA = '', numberA = '0'] = a.split('-');
  const [projectB = '', numberB = '0'] = b.split('-');
  return projectA.localeCompare(projectB) || Number(numberA) - Number(numberB);
}

/** ORDER BY as a comparator; ties (and no ORDER BY) fall back to key, newest first. */
export function jqlComparator(orderBy: readonly JqlSort[]): (a: FakeJiraIssue, b: FakeJiraIssue) => number {
  const keys = orderBy.map((sort) => {
    const name = sort.field.toLowerCase();
    const sign = sort.direction === 'desc' ? -1 : 1;
    const field = FIELD_ALIASES[name];
    let compare: (a: FakeJiraIssue, b: FakeJiraIssue) => number;
    if (field === 'created' || field === 'updated' || field === 'resolutiondate') {
      const at = (issue: FakeJiraIssue) => {
        const text = issue[field];
        return text === null ? Number.POSITIVE_INFINITY : parseJiraDate(text);
      };
      compare = (a, b) => at(a) - at(b);
    } else if (field === 'key' && name !== 'parent') compare = (a, b) => compareKeys(a.key, b.key);
    else if (field === 'id') compare = (a, b) => Number(a.id) - Number(b.id);
    else if (field === 'project') compare = (a, b) => Number(a.projectId) - Number(b.projectId);
    else if (field === 'status') compare = (a, b) => a.statusId.localeCompare(b.statusId);
    else if (field === 'issuetype') compare = (a, b) => a.issueTypeId.localeCompare(b.issueTypeId);
    else if (name === 'priority') compare = (a, b) => Number(a.priorityId) - Number(b.priorityId);
    else if (name === 'summary') compare = (a, b) => a.summary.localeCompare(b.summary);
    else throw new JqlError(`Field '${sort.field}' does not exist or you do not have permission to view it.`);
    return (a: FakeJiraIssue, b: FakeJiraIssue) => sign * compare(a, b);
  });
  return (a, b) => {
    for (const compare of keys) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return compareKeys(b.key, a.key);
  };
}
