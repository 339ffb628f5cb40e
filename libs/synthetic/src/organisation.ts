import { Random } from './random';

/** Offsets people work in; DST-free ones on purpose (+05:30, −08:00 as written in git). */
const UTC_OFFSETS_MINUTES = [0, 60, 330, -480, -300, 540, 120, -180] as const;

const FIRST_NAMES = [
  'ada',
  'grace',
  'linus',
  'margaret',
  'ken',
  'barbara',
  'dennis',
  'frances',
  'alan',
  'radia',
  'edsger',
  'katherine',
  'donald',
  'hedy',
  'guido',
  'sophie',
  'bjarne',
  'anita',
  'john',
  'mary',
  'yukihiro',
  'jean',
  'tim',
  'shafi',
  'leslie',
  'fran',
  'niklaus',
  'annie',
  'rob',
  'evelyn',
] as const;
const LAST_NAMES = [
  'lovelace',
  'hopper',
  'torvalds',
  'hamilton',
  'thompson',
  'liskov',
  'ritchie',
  'allen',
  'turing',
  'perlman',
  'dijkstra',
  'johnson',
  'knuth',
  'lamarr',
  'rossum',
  'wilson',
  'stroustrup',
  'borg',
  'backus',
  'keller',
  'matsumoto',
  'bartik',
  'lee',
  'goldwasser',
  'lamport',
  'bilas',
  'wirth',
  'easley',
  'pike',
  'boyd',
] as const;
const TEAM_NAMES = [
  'platform',
  'payments',
  'search',
  'mobile',
  'growth',
  'data',
  'identity',
  'infra',
  'web',
  'ml',
] as const;
const REPO_SUFFIXES = [
  'api',
  'web',
  'worker',
  'gateway',
  'ledger',
  'indexer',
  'app',
  'pipeline',
  'auth',
  'infra',
] as const;

export const ORG_DOMAIN = 'acme.example';
export const NOREPLY_DOMAIN = 'users.noreply.example';

export interface Person {
  index: number;
  name: string;
  /** The address HR knows; the canonical identity. */
  primaryEmail: string;
  /** Other addresses the person commits with (laptop, no-reply). */
  otherEmails: string[];
  /** Provider login used on pull requests and reviews; work-tracker login. */
  login: string;
  utcOffsetMinutes: number;
  teamIndex: number;
  /** Share of this person's work done outside business hours (a few people carry most of it). */
  afterHoursShare: number;
  weekendShare: number;
}

export interface Team {
  index: number;
  slug: string;
  name: string;
  parentSlug: string | null;
}

export interface Repository {
  index: number;
  fullName: string;
  name: string;
  teamIndex: number;
  /** Service deployed from this repository. */
  service: string;
  /** Work-tracker project key. */
  projectKey: string;
}

export interface Organisation {
  name: string;
  people: Person[];
  teams: Team[];
  repositories: Repository[];
}

export interface OrganisationShape {
  repos: number;
  teams: number;
  people: number;
}

/** The org chart: same seed and shape, same people, teams and repositories. */
export function buildOrganisation(seed: string, shape: OrganisationShape): Organisation {
  const random = new Random(seed, 'organisation');
  const teams: Team[] = Array.from({ length: shape.teams }, (_, index) => {
    const base = TEAM_NAMES[index % TEAM_NAMES.length] ?? 'team';
    const slug = index < TEAM_NAMES.length ? base : `${base}-${Math.floor(index / TEAM_NAMES.length) + 1}`;
    return {
      index,
      slug,
      name: slug.replace(
        /(^|-)([a-z])/g,
        (_m, dash: string, letter: string) => `${dash ? ' ' : ''}${letter.toUpperCase()}`,
      ),
      // Every fourth team reports into the first: a small hierarchy.
      parentSlug: index > 0 && index % 4 === 0 ? TEAM_NAMES[0] : null,
    };
  });
  const usedHandles = new Map<string, number>();
  const people: Person[] = Array.from({ length: shape.people }, (_, index) => {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const base = `${first}.${last}`;
    const seen = usedHandles.get(base) ?? 0;
    usedHandles.set(base, seen + 1);
    const handle = seen === 0 ? base : `${base}${seen + 1}`;
    const login = handle.replace('.', '-');
    const otherEmails: string[] = [];
    // About a third commit from a second address; some of those from a no-reply one as well.
    if (random.chance(0.35)) otherEmails.push(`${login}@${NOREPLY_DOMAIN}`);
    if (random.chance(0.15)) otherEmails.push(`${first}@home.example`);
    const nightOwl = random.chance(0.15);
    return {
      index,
      name: `${capitalise(first)} ${capitalise(last)}`,
      primaryEmail: `${handle}@${ORG_DOMAIN}`,
      otherEmails,
      login,
      utcOffsetMinutes: random.pick(UTC_OFFSETS_MINUTES),
      teamIndex: index % Math.max(1, shape.teams),
      afterHoursShare: nightOwl ? 0.35 : 0.06,
      weekendShare: nightOwl ? 0.12 : 0.03,
    };
  });
  const repositories: Repository[] = Array.from({ length: shape.repos }, (_, index) => {
    const teamIndex = index % Math.max(1, shape.teams);
    const team = teams[teamIndex];
    const suffix = REPO_SUFFIXES[Math.floor(index / Math.max(1, shape.teams)) % REPO_SUFFIXES.length] ?? 'svc';
    const round = Math.floor(index / (Math.max(1, shape.teams) * REPO_SUFFIXES.length));
    const name = `${team?.slug ?? 'core'}-${suffix}${round > 0 ? `-${round + 1}` : ''}`;
    return {
      index,
      fullName: `acme/${name}`,
      name,
      teamIndex,
      service: name,
      projectKey: `${(team?.slug ?? 'core')
        .replace(/[^a-z]/g, '')
        .slice(0, 4)
        .toUpperCase()}${index}`,
    };
  });
  return { name: 'acme', people, teams, repositories };
}

/** The alias table the processor needs to resolve every address and login of a person to one identity. */
export function identityAliases(organisation: Organisation): Record<string, string[]> {
  const aliases: Record<string, string[]> = {};
  for (const person of organisation.people)
    aliases[person.primaryEmail] = [...person.otherEmails, `synthetic:${person.login}`];
  return aliases;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
