import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabase } from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';
import { auditLog } from '../db/schema-security.ts';
import { listAudit } from './audit-queries.ts';
import { auditQuerySchema } from './audit-schemas.ts';

const ORG = 'org-audit-queries';
const LOCATION = '01KBX5Y8J7Q2R3S4T5V6W7X8Y9';
const PAR = `/locations/${LOCATION}/pars/01KBX5Y8J7Q2R3S4T5V6W7X8Z0`;
const PATHS = [PAR, `/locations/${LOCATION}/pars/01KBX5Y8J7Q2R3S4T5V6W7X8Z1`, '/items/a_b', '/items/axb'];

beforeAll(async () => {
  await emptyDatabase();
  await openDb(env.DB)
    .insert(auditLog)
    .values(
      PATHS.map((path, i) => ({
        id: `entry-${i}`,
        organizationId: ORG,
        actorKind: 'user' as const,
        actorId: 'someone',
        actorRole: 'manager',
        action: 'PATCH',
        path,
        status: 200,
        before: null,
        after: null,
        at: `2026-12-06T10:00:0${i}.000Z`,
      })),
    );
});

const paths = async (path: string) =>
  (await listAudit(openDb(env.DB), ORG, auditQuerySchema.parse({ path }))).entries.map((e) => e.path);

describe('listAudit by path', () => {
  it('finds the entries under a path longer than the 50 bytes D1 allows a LIKE pattern', async () => {
    expect(PAR.length).toBeGreaterThan(50);
    expect(await paths(PAR)).toEqual([PAR]);
    expect(await paths(`/locations/${LOCATION}/pars/`)).toEqual([PATHS[1], PAR]);
  });

  it('takes the path literally: an underscore is an underscore, and case counts', async () => {
    expect(await paths('/items/a_')).toEqual(['/items/a_b']);
    expect(await paths('/items/a%')).toEqual([]);
    expect(await paths('/ITEMS/')).toEqual([]);
  });
});
