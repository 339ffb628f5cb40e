import { parseJiraCredential } from './jira-client';
import type { JiraFieldDetails } from './jira-client';
import {
  decodeKnown,
  discoverFields,
  encodeKnown,
  jiraMillis,
  jqlInstant,
  scopeJql,
  siteKey,
  teamOf,
} from './jira-sync';

const field = (id: string, name: string, schema: JiraFieldDetails['schema'] = {}): JiraFieldDetails => ({
  id,
  name,
  custom: id.startsWith('customfield_'),
  schema,
});
const SITE_FIELDS = [
  field('summary', 'Summary', { type: 'string', system: 'summary' }),
  field('customfield_10016', 'Story point estimate', { type: 'number' }),
  field('customfield_10028', 'Story Points', { type: 'number' }),
  field('customfield_10020', 'Sprint', {
    type: 'array',
    items: 'json',
    custom: 'com.pyxis.greenhopper.jira:gh-sprint',
  }),
  // Two fields called Team: the text one is a decoy, Atlassian's team type wins.
  field('customfield_10100', 'Team', {
    type: 'string',
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield',
  }),
  field('customfield_10001', 'Team', {
    type: 'team',
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team',
  }),
];
const site = 'https://acme.atlassian.net';

describe('Jira sync: discovery and queries', () => {
  it('finds story points, sprint and team fields by name and type, never by a fixed id', () => {
    const found = discoverFields({ site, projects: ['PAY'] }, SITE_FIELDS);
    expect(found).toMatchObject({
      storyPoints: ['customfield_10028', 'customfield_10016'],
      sprint: 'customfield_10020',
      team: { from: 'field', field: 'customfield_10001' },
    });
    const named = discoverFields(
      {
        site,
        projects: ['PAY'],
        story_points_field: 'story point estimate',
        teams: { from: 'field', field: 'customfield_10100' },
      },
      SITE_FIELDS,
    );
    expect(named).toMatchObject({
      storyPoints: ['customfield_10016'],
      team: { from: 'field', field: 'customfield_10100' },
    });
    expect(() => discoverFields({ site, projects: ['PAY'], story_points_field: 'Effort' }, SITE_FIELDS)).toThrow(
      /no field named "Effort"/,
    );
  });

  it('takes an issue’s team from the team field, mapped components or mapped labels', () => {
    const settings = { storyPoints: [], sprint: null, categories: new Map(), typeMap: {} };
    const fields = {
      customfield_10001: { id: '9a1c', name: 'Payments', title: 'Payments' },
      components: [{ name: 'ledger' }, { name: 'refunds' }],
      labels: ['backend', 'team-mobile'],
    };
    expect(teamOf({ ...settings, team: { from: 'field', field: 'customfield_10001' } }, fields)).toEqual({
      id: '9a1c',
      name: 'Payments',
    });
    expect(teamOf({ ...settings, team: { from: 'components', map: { refunds: 'Money' } } }, fields)).toEqual({
      id: 'name:Money',
      name: 'Money',
    });
    expect(teamOf({ ...settings, team: { from: 'components', map: null } }, fields)).toEqual({
      id: 'name:ledger',
      name: 'ledger',
    });
    expect(teamOf({ ...settings, team: { from: 'labels', map: { 'team-mobile': 'Mobile' } } }, fields)).toEqual({
      id: 'name:Mobile',
      name: 'Mobile',
    });
    expect(teamOf({ ...settings, team: { from: 'field', field: 'customfield_10001' } }, {})).toBeNull();
  });

  it('writes JQL instants in the user’s time zone, scopes by projects and filter, keys sites by host', () => {
    const at = Date.parse('2026-11-02T09:15:42Z');
    expect(jqlInstant(at, 'Europe/Berlin')).toBe('2026-11-02 10:15');
    expect(jqlInstant(at, 'America/New_York')).toBe('2026-11-02 04:15');
    expect(jqlInstant(at, 'UTC')).toBe('2026-11-02 09:15');
    expect(scopeJql({ site, projects: ['PAY', 'OPS'], jql: 'labels = "q4"' })).toBe(
      'project in ("PAY", "OPS") AND (labels = "q4")',
    );
    expect(siteKey('https://acme.atlassian.net/')).toBe('acme.atlassian.net');
    expect(siteKey('https://api.atlassian.com/ex/jira/1a2b-3c4d')).toBe('1a2b-3c4d');
    expect(jiraMillis('2026-11-02T10:15:30.123+0100')).toBe(Date.parse('2026-11-02T09:15:30.123Z'));
    expect(jiraMillis('not a date')).toBeNull();
  });

  it('reads a stored credential: email:token is Basic, anything else a bearer token', () => {
    expect(parseJiraCredential('bot@acme.example:ATATT3xFfGF0')).toEqual({
      kind: 'basic',
      email: 'bot@acme.example',
      apiToken: 'ATATT3xFfGF0',
    });
    expect(parseJiraCredential('NjQ4OTk2:pat-with-colon')).toEqual({
      kind: 'bearer',
      token: 'NjQ4OTk2:pat-with-colon',
    });
  });

  it('keeps the published ids compactly: 100,000 ids in a few hundred kB at most, read back exactly', () => {
    const ids = Array.from({ length: 100_000 }, (_, index) => String(10_000 + index * 2 + (index % 7 === 0 ? 1 : 0)));
    const cursor = encodeKnown({ sweptAt: 42, ids: [...ids].reverse() });
    expect(cursor.length).toBeLessThan(300_000);
    expect(decodeKnown(cursor)).toEqual({ sweptAt: 42, ids });
    expect(decodeKnown(undefined)).toEqual({ sweptAt: 0, ids: [] });
    expect(decodeKnown(encodeKnown({ sweptAt: 1, ids: [] }))).toEqual({ sweptAt: 1, ids: [] });
  });
});
