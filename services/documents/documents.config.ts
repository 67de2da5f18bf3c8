/**
 * The `documents` section of the YAML file: upload limit, expiry reminders, extraction limits
 * and OCR languages.
 */
import { z } from 'zod';

export const documentsConfigSchema = z
  .object({
    /** Largest file accepted from chat or REST, in bytes (default 25 MB). */
    uploadLimitBytes: z.number().int().positive().default(25 * 1024 * 1024),
    /** Certificates and contracts expiring within this many days remind the uploader's chat. */
    expiryReminderDays: z.number().int().min(1).max(3650).default(30),
    /** How often the expiry check runs, in minutes. */
    expiryCheckMinutes: z.number().int().min(1).default(720),
    /** Pages read from one PDF. */
    maxPages: z.number().int().positive().default(500),
    /** Uncompressed bytes allowed inside one DOCX/XLSX (zip bombs stop here). */
    maxUnpackedBytes: z.number().int().positive().default(200 * 1024 * 1024),
    /** Uncompressed/compressed ratio above which a large zip entry is treated as a bomb. */
    maxZipRatio: z.number().positive().default(200),
    /** OCR languages (tesseract codes); English ships as a package, others load from `ocrLangPath`. */
    ocrLanguages: z.array(z.string().regex(/^[a-z_]{3,12}$/)).default(['eng']),
    /** Directory with extra `<lang>.traineddata(.gz)` files. */
    ocrLangPath: z.string().optional(),
    /** Worker lock settings of the document queues (a killed worker's job resumes after the lock expires). */
    lockDurationMs: z.number().int().min(500).default(60_000),
    stalledIntervalMs: z.number().int().min(200).default(30_000),
    concurrency: z.number().int().min(1).max(32).default(2),
  })
  .prefault({});

export type DocumentsConfig = z.infer<typeof documentsConfigSchema>;
