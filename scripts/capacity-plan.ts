/**
 * `npm run plan -- --teams 1000 [--alerts-per-min 0.2] [--tickets-per-day 5] [--documents-per-day 2]
 *   [--runs-per-day 2] [--peak 10] [--platform slack|telegram]`: the capacity plan of a load
 * profile (scripts/capacity-model.ts, docs/scaling.md), per team figures.
 */
import { parseArgs } from 'node:util';
import { formatPlan, plan, type Profile } from './capacity-model.ts';

const { values } = parseArgs({
  options: {
    teams: { type: 'string', default: '100' },
    'alerts-per-min': { type: 'string', default: '0.2' },
    'tickets-per-day': { type: 'string', default: '5' },
    'documents-per-day': { type: 'string', default: '2' },
    'runs-per-day': { type: 'string', default: '2' },
    peak: { type: 'string', default: '10' },
    platform: { type: 'string', default: 'slack' },
  },
});
const profile: Profile = {
  teams: Number(values.teams),
  alertsPerMinute: Number(values['alerts-per-min']),
  ticketsPerDay: Number(values['tickets-per-day']),
  documentsPerDay: Number(values['documents-per-day']),
  runsPerDay: Number(values['runs-per-day']),
  peak: Number(values.peak),
  platform: values.platform as Profile['platform'],
};
const flags: Array<[string, number]> = [
  ['teams', profile.teams],
  ['alerts-per-min', profile.alertsPerMinute],
  ['tickets-per-day', profile.ticketsPerDay],
  ['documents-per-day', profile.documentsPerDay],
  ['runs-per-day', profile.runsPerDay],
  ['peak', profile.peak],
];
const bad = flags.find(([k, v]) => !(Number.isFinite(v) && v >= (k === 'teams' || k === 'peak' ? 1 : 0)))?.[0] ?? (['slack', 'telegram'].includes(profile.platform) ? null : 'platform');
if (bad) {
  console.error(`bad option --${bad}: numbers >= 0 (teams and peak >= 1), platform slack or telegram`);
  process.exit(2);
}
for (const line of formatPlan(profile, plan(profile))) console.log(line);
