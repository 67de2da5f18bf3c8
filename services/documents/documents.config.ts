/**
 * The `documents` section of the YAML file: upload limit, expiry reminders, extraction limits,
 * the PDF extraction threads and OCR languages.
 */
import { z } from 'zod';

export const documentsConfigSchema = z
  .object({
    /** Largest file accepted from chat or REST, in bytes (default 25 MB). */
    uploadLimitBytes: z.number().int().positive().default(25 * 1024 * 1024).describe('Largest file accepted from chat or REST, in bytes (default 25 MiB)'),
    /** Certificates and contracts expiring within this many days remind the uploader's chat. */
    expiryReminderDays: z.number().int().min(1).max(3650).default(30).describe('Certificates and contracts expiring within this many days remind the uploader\'s chat'),
    /** How often the expiry check runs, in minutes. */
    expiryCheckMinutes: z.number().int().min(1).default(720).describe('How often the expiry check runs, in minutes'),
    /** Pages read from one PDF. */
    maxPages: z.number().int().positive().default(500).describe('Pages read from one PDF; the rest are left out'),
    /** Uncompressed bytes allowed inside one DOCX/XLSX (zip bombs stop here). */
    maxUnpackedBytes: z.number().int().positive().default(200 * 1024 * 1024).describe('Uncompressed bytes allowed inside one DOCX/XLSX (zip bombs stop here)'),
    /** Uncompressed/compressed ratio above which a large zip entry is treated as a bomb. */
    maxZipRatio: z.number().positive().default(200).describe('Uncompressed/compressed ratio above which a large zip entry is treated as a bomb'),
    /** OCR languages (tesseract codes); English ships as a package, others load from `ocrLangPath`. */
    ocrLanguages: z.array(z.string().regex(/^[a-z_]{3,12}$/)).default(['eng', 'rus']).describe('OCR languages (tesseract codes such as `eng`, `rus`): read by the `tesseract` command when installed, else by tesseract.js with data from `ocrLangPath`, the system tessdata (Debian\'s tesseract-ocr-rus / -eng) or the English package; `a2d2 doctor` checks them'),
    /** Directory with extra `<lang>.traineddata(.gz)` files. */
    ocrLangPath: z.string().optional().describe('Directory with extra `<lang>.traineddata(.gz)` files'),
    /** OCR of images and scanned PDFs (services/documents/extract/ocr.engine.ts, pdf.ocr.ts). */
    ocr: z
      .object({
        engine: z.enum(['auto', 'native', 'js']).default('auto').describe('OCR engine: `native` runs the `tesseract` command, `js` uses tesseract.js, `auto` takes the command when it is installed and knows a configured language'),
        command: z.string().min(1).default('tesseract').describe('The native OCR command (a name on PATH or a path); run without a shell'),
        tessdataRoots: z.array(z.string().min(1)).default(['/usr/share/tesseract-ocr']).describe('Where tesseract.js looks for system language data, as `<root>/<version>/tessdata/<lang>.traineddata` (after `ocrLangPath`)'),
        timeoutMs: z.number().int().min(1000).default(120_000).describe('Longest OCR (or rendering) of one image or PDF page; past it the file is refused as damaged'),
        maxPages: z.number().int().min(1).max(1000).default(20).describe('Pages without a text layer OCR\'d from one PDF at most; the pages past it are skipped and the chat is told'),
        dpi: z.number().int().min(72).max(600).default(200).describe('Resolution scanned PDF pages are rendered at for OCR'),
        progressEveryMs: z.number().int().min(0).default(3000).describe('Least time between two edits of the progress message while a scanned PDF is OCR\'d ("page 3 of 12")'),
      })
      .describe('OCR of images and scanned PDFs')
      .prefault({}),
    /** Structured field extraction by the configured LLM (services/documents/llm-fields.ts). */
    llmFields: z
      .object({
        enabled: z.boolean().default(true).describe('With an LLM configured, ask it for each document\'s fields (a JSON schema per category, validated and typed); the deterministic fields are kept when it is absent, fails, times out, is over budget or answers invalid JSON'),
        timeoutMs: z.number().int().min(1000).max(300_000).default(20_000).describe('Longest wait for the model\'s answer about one document; past it the deterministic fields are kept'),
        maxChars: z.number().int().min(500).max(200_000).default(12_000).describe('Characters of a document\'s text sent to the model at most'),
      })
      .describe('Structured field extraction by the LLM')
      .prefault({}),
    /** Worker lock settings of the document queues (a killed worker's job resumes after the lock expires). */
    lockDurationMs: z.number().int().min(500).default(60_000).describe('Lock of a document job on its worker; a killed worker\'s job resumes elsewhere after it expires'),
    stalledIntervalMs: z.number().int().min(200).default(30_000).describe('How often workers look for document jobs whose lock expired'),
    concurrency: z.number().int().min(1).max(32).default(2).describe('Jobs one worker process runs at once on each of the intake and analysis queues'),
    /** PDF text extraction threads (services/documents/extract/pdf.pool.ts). */
    pdf: z
      .object({
        threads: z.number().int().min(1).max(16).optional().describe('PDF extraction threads at most; default min(2, available cores). None start before the first PDF'),
        timeoutMs: z.number().int().min(100).default(120_000).describe('Longest one PDF may keep its threads busy; past it they are ended and replaced, and the file is refused as damaged'),
        idleMs: z.number().int().min(100).default(60_000).describe('An idle extraction thread exits after this many ms (its PDF.js memory with it)'),
        splitMinPages: z.number().int().min(2).default(8).describe('PDFs with fewer pages are read by one thread; larger ones are shared by the idle threads, page by page'),
        engine: z.enum(['auto', 'pdftotext', 'pdfjs']).default('auto').describe('Who reads the text layer: auto uses poppler\'s pdftotext when it runs (Debian package poppler-utils) and PDF.js otherwise; a file pdftotext cannot read goes to PDF.js'),
        command: z.string().min(1).default('pdftotext').describe('The pdftotext command (pdfinfo is looked for beside it)'),
      })
      .describe('PDF text extraction: poppler\'s pdftotext processes or PDF.js worker threads, off the event loop')
      .prefault({}),
  })
  .describe('Documents: upload limits, extraction limits, OCR, expiry reminders (docs/documents.md)')
  .prefault({});

export type DocumentsConfig = z.infer<typeof documentsConfigSchema>;
