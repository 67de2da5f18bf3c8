/**
 * Expand and contract: refuses a migration that drops, renames or retypes a table or column
 * (what a still-running older version would break on) unless it is declared a contract step
 * by a line in prisma/migrations/contract-steps.txt. The list lives beside the migrations, not
 * in them, so declaring a step never changes an applied migration's checksum.
 * Usage: node --import tsx scripts/migration-check.ts [migrations-dir]   (exit 1 on a refusal)
 * Run by test/integration/migration-runner.test.ts. See docs/operations/migrations.md.
 */
import { MIGRATIONS_DIR, readMigrationFiles } from '../services/db/migration-runner.ts';
import { CONTRACT_LIST_FILE as LIST_FILE, readContractSteps as declaredSteps } from '../services/db/contract-steps.ts';

/** What a contract statement looks like; each is tried on one statement, comments removed. */
const CONTRACT_PATTERNS: Array<[string, RegExp]> = [
  ['drops a table', /^DROP\s+TABLE\b/i],
  ['drops a column', /^ALTER\s+TABLE\b.*\bDROP\s+(?:COLUMN\b|(?!CONSTRAINT\b|DEFAULT\b|NOT\s+NULL\b|EXPRESSION\b|IDENTITY\b)["\w])/is],
  ['renames a column or table', /^ALTER\s+TABLE\b.*\bRENAME\s+(?!CONSTRAINT\b)/is],
  ['changes a column type', /^ALTER\s+TABLE\b.*\bALTER\s+(?:COLUMN\s+)?(?:"[^"]+"|\w+)\s+(?:SET\s+DATA\s+)?TYPE\b/is],
  ['drops or renames a type or an enum value', /^(?:DROP\s+TYPE\b|ALTER\s+TYPE\b.*\bRENAME\b)/is],
];

/** The statements of a script, without comments (string literals are not parsed: good enough for DDL). */
function statements(sql: string): string[] {
  const bare = sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
  return bare
    .split(';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** Why a script is a contract step (one reason per offending statement); empty when additive. */
function contractReasons(sql: string): string[] {
  const reasons: string[] = [];
  for (const statement of statements(sql)) {
    for (const [reason, pattern] of CONTRACT_PATTERNS) {
      if (pattern.test(statement)) reasons.push(`${reason}: ${statement.slice(0, 120)}`);
    }
  }
  return reasons;
}

/** Every problem with the migrations in `migrationsDir`, as lines for the operator. */
async function checkMigrations(migrationsDir: string): Promise<string[]> {
  const files = await readMigrationFiles(migrationsDir);
  const declared = await declaredSteps(migrationsDir);
  const problems: string[] = [];
  for (const file of files) {
    const reasons = contractReasons(file.sql);
    if (!reasons.length || declared.has(file.name)) continue;
    problems.push(
      `${file.name} is a contract step (${reasons.join('; ')}). Ship it only once no running version ` +
        `reads what it removes, and declare it by adding "${file.name}" to ${LIST_FILE}.`,
    );
  }
  const known = new Set(files.map((f) => f.name));
  for (const name of declared) {
    if (!known.has(name)) problems.push(`${LIST_FILE} names ${name}, which is not a migration in ${migrationsDir}.`);
  }
  return problems;
}

const dir = process.argv[2] ?? MIGRATIONS_DIR;
const problems = await checkMigrations(dir);
for (const line of problems) console.error(line);
if (problems.length) process.exit(1);
console.log(`${dir}: no undeclared contract steps`);
