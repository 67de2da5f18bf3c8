/**
 * The analysis job: the stages after extraction (language, category, fields, summary,
 * search index, the card), each committed together with the name of the next one, so a
 * crash repeats at most the stage it interrupted.
 */
import { translator } from '../i18n/i18n.ts';
import { detectLanguage, fold } from './language.ts';
import { classify, isCategory, type Category, type CorrectionExample } from './classify.ts';
import { expiryOf, extractFields, type ExtractedField } from './fields.ts';
import { modelFields } from './llm-fields.ts';
import { summarize } from './summary.ts';
import { cardButtons, renderCard } from './document-view.ts';
import { STAGES, type DocumentContext, type IntakeRow, type Stage } from './document-context.ts';

interface VersionRow {
  id: string;
  documentId: string;
  fileName: string;
  text: string;
  language: string | null;
  category: string | null;
  noTextLayer: boolean;
  platform: string;
  uploadedById: string | null;
  document: { title: string };
}

/** Field rows of a version: one per name and position, values capped for the database. */
function fieldRows(versionId: string, fields: ExtractedField[]) {
  const seen = new Set<string>();
  return fields
    .filter((f) => {
      const k = `${f.name}:${f.start}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((f) => ({ versionId, name: f.name, value: f.value.slice(0, 1000), normalized: f.normalized.slice(0, 1000), start: f.start, end: f.end, primary: f.primary }));
}

/** The analysis operations of the service, bound to its shared context. */
export function createAnalysis(ctx: DocumentContext) {
  const { deps, progress, stageProgress, localeOf, refOf, rememberDocument, loadView } = ctx;
  const { db } = deps;

  async function classifyStage(v: VersionRow, next: Stage): Promise<void> {
    const corrections = await db.documentCorrection.findMany({ orderBy: { createdAt: 'desc' }, take: 500 });
    const examples: CorrectionExample[] = corrections
      .filter((c) => isCategory(c.toCategory))
      .map((c) => ({ terms: (c.terms as string[]) ?? [], category: c.toCategory as Category }));
    // A correction of this very document carries over to its new versions.
    const own = corrections.find((c) => c.documentId === v.documentId);
    const result = own && isCategory(own.toCategory)
      ? { category: own.toCategory, confidence: 1, source: 'correction' as const }
      : classify(v.text, v.language === 'ru' ? 'ru' : 'en', examples);
    await db.documentVersion.update({
      where: { id: v.id },
      data: { category: result.category, confidence: result.confidence, categorySource: result.source, stage: next },
    });
  }

  async function fieldsStage(v: VersionRow, next: Stage): Promise<void> {
    const versionId = v.id;
    const category = (isCategory(v.category) ? v.category : 'other') as Category;
    const rules = extractFields(v.text, category);
    // With a model configured (documents.llmFields), its typed fields over the rules' ones; the rules' alone otherwise.
    const llm = deps.config.llmFields;
    const found = llm.enabled
      ? await modelFields(deps.fieldModel, { text: v.text, category, rules, workspaceKey: `${v.platform}:default`, userId: v.uploadedById ?? undefined }, llm)
      : { fields: rules, source: 'rules:no-model' as const };
    if (found.error) deps.logger.warn({ versionId, source: found.source, err: found.error }, 'model field extraction unusable: the rules\' fields are kept');
    const fields = found.fields;
    const expires = category === 'certificate' || category === 'contract' ? expiryOf(fields) : null;
    const rows = fieldRows(versionId, fields);
    await db.$transaction([
      db.documentField.deleteMany({ where: { versionId } }),
      db.documentField.createMany({ data: rows }),
      db.documentVersion.update({ where: { id: versionId }, data: { expiresOn: expires ? new Date(`${expires}T00:00:00Z`) : null, stage: next } }),
    ]);
  }

  async function indexStage(v: VersionRow, next: Stage): Promise<void> {
    // Dates like 05.01.2024 would index as one token: split digits so "2024" matches.
    const body = fold(`${v.document.title}\n${v.text}`).replace(/(\d)[./-](?=\d)/g, '$1 ');
    await db.$executeRaw`UPDATE "DocumentVersion" SET "searchEn" = to_tsvector('english', ${body}), "searchRu" = to_tsvector('russian', ${body}), stage = ${next}, "processedAt" = now() WHERE id = ${v.id}::uuid`;
  }

  async function notifyStage(v: VersionRow, next: Stage, intake: IntakeRow | null): Promise<void> {
    const view = await loadView({ id: v.documentId });
    if (intake && view) {
      const ref = refOf(intake);
      if (ref) await rememberDocument(ref, view.number);
      const t = translator(localeOf(intake.locale));
      await progress(intake, { ...renderCard(t, view), buttons: cardButtons(t, view.number, deps) });
    }
    await db.documentVersion.update({ where: { id: v.id }, data: { stage: next } });
  }

  async function runStage(stage: Stage, v: VersionRow, intake: IntakeRow | null): Promise<void> {
    const next = STAGES[STAGES.indexOf(stage) + 1]!;
    // Each stage writes its result and the next stage in one statement: a crash repeats at most this stage.
    if (stage === 'language') await db.documentVersion.update({ where: { id: v.id }, data: { language: detectLanguage(v.text), stage: next } });
    else if (stage === 'classify') await classifyStage(v, next);
    else if (stage === 'fields') await fieldsStage(v, next);
    else if (stage === 'summary') await db.documentVersion.update({ where: { id: v.id }, data: { summary: v.noTextLayer ? '' : summarize(v.text), stage: next } });
    else if (stage === 'index') await indexStage(v, next);
    else if (stage === 'notify') await notifyStage(v, next, intake);
  }

  return {
    /** The analysis job: runs the remaining stages of a version, each one committed before the next. */
    async processVersion(versionId: string): Promise<void> {
      for (let guard = 0; guard < STAGES.length + 1; guard++) {
        const v = await db.documentVersion.findUnique({ where: { id: versionId }, include: { document: true } });
        if (!v || v.stage === 'done') return;
        const stage = v.stage as Stage;
        const intake = (await db.documentIntake.findFirst({ where: { versionId, status: 'stored' } })) as IntakeRow | null;
        // The analysis stages take milliseconds: one "analysing" edit is enough (each edit costs a rate-limited platform call).
        if (intake && stage === 'language') await stageProgress(intake, stage, v.fileName);
        await runStage(stage, v, intake);
      }
    },
  };
}
