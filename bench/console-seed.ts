/**
 * The backlog of the console's deploys, documents and agent runs pages for
 * bench/console.bench.ts: `deploys` deployments over 6 environments and 120 services (every
 * service in every environment, each deployment with its state history), `documents` documents with a latest version each (English text
 * indexed for search, 8 fields of which 5 primary) and `agentRuns` agent runs (2 tool calls in
 * their messages, 3 model requests each in the usage ledger). Plain SQL (the deployments' trigger
 * fills "DeploymentCurrent" as for any writer), then VACUUM ANALYZE.
 */
import type pg from 'pg';

export interface MoreCounts {
  deploys: number;
  documents: number;
  agentRuns: number;
}

const WORDS = ['invoice', 'contract', 'warranty', 'pump', 'valve', 'supplier', 'delivery', 'certificate', 'inspection', 'payment'];

async function seedDeploys(pool: pg.Pool, n: number): Promise<void> {
  await pool.query(
    `INSERT INTO "Deployment" (id, source, "externalId", service, environment, version, status, actor, history, "createdAt", "updatedAt")
     SELECT gen_random_uuid(), 'api', 'bench-' || g, 'svc-' || (g % 120), (ARRAY['production','staging','qa','dev','eu-prod','us-prod'])[1 + (g / 7) % 6],
       'v' || (g / 720) || '.' || (g % 720), CASE WHEN g % 9 = 0 THEN 'failure' WHEN g % 97 = 0 THEN 'in_progress' ELSE 'success' END, 'dev' || (g % 17),
       jsonb_build_array(jsonb_build_object('status', 'queued', 'at', now() - g * interval '1 minute'), jsonb_build_object('status', 'success', 'at', now() - g * interval '1 minute' + interval '4 minutes')),
       now() - g * interval '1 minute', now() - g * interval '1 minute' + interval '4 minutes'
     FROM generate_series(1, $1::int) g`,
    [n],
  );
}

async function seedDocuments(pool: pg.Pool, n: number): Promise<void> {
  await pool.query(
    `INSERT INTO "Document" (id, title, "titleKey", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), 'Bench document ' || g, 'bench document ' || g, now() - g * interval '1 hour', now() - g * interval '1 hour' FROM generate_series(1, $1::int) g`,
    [n],
  );
  await pool.query(
    `INSERT INTO "DocumentVersion" (id, "documentId", version, sha256, "fileName", kind, "mimeType", "sizeBytes", "storageKey", text, stage, language, category, confidence, "categorySource", summary, platform, "chatId", "searchEn", "createdAt", "processedAt")
     SELECT gen_random_uuid(), d.id, 1, md5(d.id::text) || md5(d.title), 'bench-' || d.number || '.txt', 'text', 'text/plain', 2048, 'blobs/00/bench' || d.number,
       t.text, 'done', 'en', 'invoice', 0.9, 'model', left(t.text, 180), 'api', 'bench', to_tsvector('english', t.text), d."createdAt", d."createdAt"
     FROM "Document" d, LATERAL (SELECT 'Bench ' || ($1::text[])[1 + d.number % 10] || ' number ' || d.number || ' for ' || ($1::text[])[1 + d.number % 7] || ' ' || repeat('lorem ipsum dolor sit amet ', 40) AS text) t`,
    [WORDS],
  );
  await pool.query(
    `INSERT INTO "DocumentField" (id, "versionId", name, value, normalized, start, "end", "primary")
     SELECT gen_random_uuid(), v.id, f.name, f.name || ' ' || v."fileName", f.name || ' ' || v."fileName", f.i * 10, f.i * 10 + 8, f.i <= 5
     FROM "DocumentVersion" v, (SELECT i, (ARRAY['number','date','vendor','total','issuer','inn','email','item'])[i] AS name FROM generate_series(1, 8) i) f`,
  );
}

async function seedAgentRuns(pool: pg.Pool, n: number): Promise<void> {
  await pool.query(
    `INSERT INTO "AgentRun" (id, agent, status, "userId", ref, "replyRef", locale, input, messages, "toolCalls", tokens, "elapsedMs", result, "createdAt", "updatedAt", "finishedAt")
     SELECT gen_random_uuid(), (ARRAY['assistant','triage','docs'])[1 + g % 3], CASE WHEN g % 11 = 0 THEN 'failed' ELSE 'done' END, gen_random_uuid(),
       '{"ref":{"platform":"slack","chatId":"CBENCH"}}', '{"platform":"slack","chatId":"CBENCH"}', 'en', 'Bench question ' || g,
       jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'Bench question ' || g),
         jsonb_build_object('role', 'assistant', 'content', null, 'tool_calls', jsonb_build_array(
           jsonb_build_object('id', 'c1', 'type', 'function', 'function', jsonb_build_object('name', 'ticket_list', 'arguments', '{"view":"open"}')),
           jsonb_build_object('id', 'c2', 'type', 'function', 'function', jsonb_build_object('name', 'doc_list', 'arguments', '{"text":"search pump"}')))),
         jsonb_build_object('role', 'tool', 'tool_call_id', 'c1', 'content', repeat('#12 open ticket ', 20)),
         jsonb_build_object('role', 'tool', 'tool_call_id', 'c2', 'content', repeat('Document #3 pump ', 20)),
         jsonb_build_object('role', 'assistant', 'content', 'Bench answer ' || g)),
       2, 1500 + g % 900, 3000, 'Bench answer ' || g, now() - g * interval '2 minutes', now() - g * interval '2 minutes', now() - g * interval '2 minutes' + interval '3 seconds'
     FROM generate_series(1, $1::int) g`,
    [n],
  );
  await pool.query(
    `INSERT INTO "LlmUsage" (at, day, provider, model, route, purpose, "workspaceKey", "userId", "runId", "promptTokens", "completionTokens", "costUsd", ok, "latencyMs")
     SELECT r."createdAt", r."createdAt"::date, 'openai', 'gpt-bench', 'primary', 'agent', 'slack:TBENCH', r."userId", r.id, 500, 80, 0.004, true, 700
     FROM "AgentRun" r, generate_series(1, 3)`,
  );
}

/** Replaces the three pages' rows with the backlog. */
export async function seedMore(pool: pg.Pool, n: MoreCounts): Promise<void> {
  await pool.query('TRUNCATE "Deployment", "DeploymentCurrent", "Document", "DocumentVersion", "DocumentField", "AgentRun", "LlmUsage" RESTART IDENTITY CASCADE');
  await seedDeploys(pool, n.deploys);
  await seedDocuments(pool, n.documents);
  await seedAgentRuns(pool, n.agentRuns);
  await pool.query('VACUUM ANALYZE "Deployment", "DeploymentCurrent", "Document", "DocumentVersion", "DocumentField", "AgentRun", "LlmUsage"');
}

/** The same reads as the three pages make, on a client that reports its statements. */
export async function morePageReads(db: never): Promise<void> {
  const { deployEnvironments, environmentViews } = await import('../features/console/deploy-routes.ts');
  const { documentCards, recentNumbers } = await import('../features/console/document-routes.ts');
  const { latestAgentRuns } = await import('../features/console/agent-routes.ts');
  const envs = await deployEnvironments(db);
  await environmentViews(db, envs.map((e) => e.environment));
  await documentCards(db, await recentNumbers(db, 20));
  await latestAgentRuns(db);
}
