/**
 * The command-line tools (`a2d2 <command>`, bot/main.ts and bot/*-cli.ts): usage, option
 * errors, `migrate` (its status, dry run and refusals, services/db/migration-runner.ts),
 * `backup` / `restore`, the `smoke` table. The language is the YAML's `defaultLocale`
 * (doctor and support-process also take `--lang`). JSON output keeps English keys.
 */
export const cli = {
  en: {
    'cli.usage': `usage: a2d2 <command>
  start [--role all|http|worker]   run the bot (applies migrations first)
  migrate                          create the database if missing and apply migrations
  migrate --status                 list each migration as applied or pending
  migrate --dry-run                print the SQL of the pending migrations without applying it
  backup --out FILE                write one archive: the database (pg_dump), the stored
                                   document files and a manifest of both
  restore FILE [--force]           restore a backup into an empty database and storage
                                   directory, then check row counts and file checksums;
                                   --force replaces a database or files that are not empty
  chat                             talk to the bot in this terminal
  smoke [--url URL] [--json] [--timeout 10s]
                                   check a running deployment end to end (probes, metrics,
                                   database, a queue job answered by a worker, platform tokens,
                                   webhook routes); exits 1 when any check fails
  doctor [--lang en|ru] [--json] [--timeout 5s] [--public-url URL]
                                   check this site's set-up before going live (config, Postgres
                                   and migrations, Redis settings, Slack scopes, Telegram
                                   webhook, model endpoint, public URL, disk, clock); one line
                                   per check with the fix; exits 1 when any check fails
  support-process [--lang en|ru]   print the support process (P0-P3 times, business hours,
                                   escalation, channels, how to reach support) as Markdown,
                                   from this installation's configuration
  understand [--llm] [--llm-timeout 5s]
                                   JSON lines in ({"text", "lang"}), one JSON line out per input
  understand --export-feedback     the "Did you mean" choices as labelled lines for the corpus
`,
    'cli.chat.banner': 'a2d2 — type "help" (or "помощь"); "exit" to leave.',
    'cli.option.needsValue': '{name} needs a value',
    'cli.option.url': '{name} takes an http or https URL, not "{value}"',
    'cli.option.timeout': '--timeout takes a duration with a unit, such as {example} or 500ms, not "{value}"',
    'cli.option.lang': '--lang takes en or ru, not "{value}"',
    'cli.migrate.unknownOption': 'unknown option for migrate: {option} (use --status or --dry-run)',
    'cli.smoke.unknownOption': 'unknown option for smoke: {option} (use --url, --json or --timeout)',
    'cli.doctor.unknownOption': 'unknown option for doctor: {option} (use {options})',
    'cli.support.unknownOption': 'unknown option for support-process: {option} (use --lang en or --lang ru)',
    'cli.migrate.tooMany': 'migrate takes one option at most, not: {args}',
    'cli.migrate.summary': 'Database {database}: {applied} applied, {pending} pending.',
    'cli.migrate.applied_one': 'Database {database}: {count} migration applied: {names}.',
    'cli.migrate.applied_few': 'Database {database}: {count} migrations applied: {names}.',
    'cli.migrate.applied_many': 'Database {database}: {count} migrations applied: {names}.',
    'cli.migrate.applied_other': 'Database {database}: {count} migrations applied: {names}.',
    'cli.migrate.upToDate': 'Database {database} is up to date: nothing to apply.',
    'cli.migrate.noDatabase': 'Database {database} does not exist yet: every migration is pending.',
    'cli.migrate.state.applied': 'applied',
    'cli.migrate.state.pending': 'pending',
    'cli.migrate.state.failed': 'failed',
    'cli.migrate.notFinished': '(started {time}, not finished)',
    'cli.migrate.changedSince': '(the file has changed since)',
    'cli.migrate.notInVersion': "(not in this version's migrations)",
    'cli.migrate.cannot': 'Cannot migrate: {error}',
    'cli.migrate.dry.unknown': "-- Warning: {name} is recorded in the database but not in this version's migrations.",
    'cli.migrate.dry.upToDate': '-- Database {database} is up to date: no pending migrations.',
    'cli.migrate.dry.pending': '-- {pending} pending migration(s) for database {database}; nothing was applied.',
    'cli.migrate.dry.migration': '-- Migration {name}',
    'cli.migrate.rolledBack': 'Migration {name} failed and was rolled back: {error}',
    'cli.migrate.refused.unreadable': 'Migration {name} has no readable {file}: {error}',
    'cli.migrate.refused.failed':
      'Migration {name} failed (started {started}): {cause}. Nothing of it was kept. Fix the cause, mark it rolled back ' +
      `(UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '{name}' AND finished_at IS NULL), then migrate again.`,
    'cli.migrate.refused.failedNoCause':
      'Migration {name} failed (started {started}): no error recorded. Nothing of it was kept. Fix the cause, mark it rolled back ' +
      `(UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '{name}' AND finished_at IS NULL), then migrate again.`,
    'cli.migrate.refused.edited':
      'Migration {name} was changed after it was applied (applied checksum {applied}, file checksum {checksum}). ' +
      'Restore the applied {name}/{file} and put the change in a new migration.',
    'cli.migrate.refused.contract':
      "Migration {name} is a contract step applied by a newer version ({finished}) and is not in this version's migrations: " +
      'it removed something this version may still use, so it does not start. Deploy the version that applied it or a newer one (or restore a backup from before it). ' +
      `Only when that release's notes say this version no longer uses what it removed: DELETE FROM "{table}" WHERE migration_name = '{name}', then start again.`,
    'cli.size.b': '{n} B',
    'cli.size.kib': '{n} KiB',
    'cli.size.mib': '{n} MiB',
    'cli.size.gib': '{n} GiB',
    'cli.backup.usage': 'usage: a2d2 backup --out FILE',
    'cli.backup.usageUnknown': 'usage: a2d2 backup --out FILE (unknown argument: {arg})',
    'cli.backup.written': 'Backup written to {file} ({size}).',
    'cli.backup.database': '  Database {database}: {tables} tables, {rows} rows, {migrations} migrations applied (PostgreSQL {version}).',
    'cli.backup.files': '  Stored files: {files} ({size}) from {dir}.',
    'cli.backup.error.noDir': 'Cannot write the backup to {file}: its directory does not exist.',
    'cli.backup.error.damaged': 'The backup {file} is damaged or incomplete: {why}.',
    'cli.backup.why.manifestLarge': 'its manifest is implausibly large',
    'cli.backup.why.manifestJson': 'its manifest is not valid JSON',
    'cli.backup.why.notManifest': 'its manifest is not an a2d2 backup manifest',
    'cli.backup.why.notFirst': 'it does not start with {entry}',
    'cli.backup.why.unlisted': 'it holds {entry}, which its manifest does not list',
    'cli.backup.why.entrySum': '{entry} does not match its checksum in the manifest',
    'cli.backup.why.archive': '{error}',
    'cli.backup.why.noManifest': 'it holds no manifest',
    'cli.backup.why.missing': '{missing} listed entries are missing, first {entry}',
    'cli.backup.error.format': 'The backup {file} has format version {version}, which this version of a2d2 cannot read.',
    'cli.backup.error.noFile': 'The backup file {file} does not exist.',
    'cli.backup.error.toolMissingFor': '{tool} was not found on the PATH: install postgresql-client-{server} (the server is PostgreSQL {server}).',
    'cli.backup.error.toolVersion': '{tool} --version did not report a PostgreSQL version: {output}',
    'cli.backup.error.toolOld': '{tool} is version {major}, older than the PostgreSQL {server} server: install postgresql-client-{server}.',
    'cli.backup.error.toolMissing': '{tool} was not found on the PATH: install postgresql-client.',
    'cli.backup.error.toolFailed': '{tool} failed (exit {code}): {line}',
    'cli.backup.error.badKey': 'The backup lists a file with an invalid storage key: {path}.',
    'cli.backup.error.notEmpty':
      'Database {database} is not empty: it has {tables} a2d2 table(s) ({names}). Restore into a new or empty database, or pass --force to replace its contents.',
    'cli.backup.error.filesDiffer':
      "{differing} file(s) in {dir} differ from the backup's (first {first}); restore into an empty storage directory, or pass --force to overwrite them.",
    'cli.backup.error.entrySum': '{target} does not match its checksum in the backup; nothing was overwritten with it.',
    'cli.backup.error.rowCounts': "Restored row counts differ from the backup's in {wrong} table(s): {table} has {got} rows, the backup had {want}.",
    'cli.backup.error.rowCountsNoTable': "Restored row counts differ from the backup's in {wrong} table(s): {table} has no table rows, the backup had {want}.",
    'cli.backup.error.fileSum': 'Restored file {path} does not match its checksum in the backup.',
    'cli.backup.warn.unknownMigrations':
      'Warning: the backup was made by a2d2 {version} with {unknown} migration(s) this version does not know (first {first}); ' +
      'restore it with that version or newer, or expect this version to lack parts of the schema.',
    'cli.backup.warn.replacing': 'Replacing the contents of database {database} (--force).',
    'cli.backup.warn.overwriting': 'Overwriting {differing} differing file(s) in {dir} (--force).',
    'cli.restore.usage': 'usage: a2d2 restore FILE [--force]',
    'cli.restore.usageUnknown': 'usage: a2d2 restore FILE [--force] (unknown option: {option})',
    'cli.restore.done': 'Restored {file} (a2d2 {version}, made {made}) into database {database}.',
    'cli.restore.doneCreated': 'Restored {file} (a2d2 {version}, made {made}) into database {database} (created).',
    'cli.restore.database': '  Database: {tables} tables, {rows} rows, {migrations} migrations; row counts match the backup.',
    'cli.restore.files': '  Stored files: {files} ({size}) in {dir}: {written} written, {present} already there; every checksum matches.',
    'cli.restore.pending': '  This version has {pending} migration(s) the backup lacks: a2d2 migrate (or start) applies them.',
    'cli.smoke.title': 'Smoke check of {url}',
    'cli.smoke.head.check': 'check',
    'cli.smoke.head.result': 'result',
    'cli.smoke.head.ms': 'time ms',
    'cli.smoke.head.detail': 'detail',
    'cli.smoke.result.pass': 'pass',
    'cli.smoke.result.fail': 'fail',
    'cli.smoke.result.skip': 'skip',
    'cli.smoke.summary': '{pass} passed, {fail} failed, {skip} skipped.',
    'cli.smoke.healthy': 'The deployment is healthy.',
    'cli.smoke.unhealthy': 'The deployment is not healthy: {checks} failed.',
  },
  ru: {
    'cli.usage': `использование: a2d2 <команда>
  start [--role all|http|worker]   запустить бота (сначала применяет миграции)
  migrate                          создать базу данных, если её нет, и применить миграции
  migrate --status                 показать каждую миграцию: применена или ожидает
  migrate --dry-run                вывести SQL ожидающих миграций, не применяя его
  backup --out FILE                записать один архив: базу данных (pg_dump), сохранённые
                                   файлы документов и опись того и другого
  restore FILE [--force]           восстановить резервную копию в пустую базу и каталог
                                   хранилища, затем сверить число строк и контрольные суммы;
                                   --force заменяет непустую базу или файлы
  chat                             разговаривать с ботом в этом терминале
  smoke [--url URL] [--json] [--timeout 10s]
                                   проверить работающую установку целиком (пробы, метрики,
                                   база данных, задание очереди, на которое ответил воркер,
                                   токены платформ, маршруты вебхуков); код выхода 1 при ошибке
  doctor [--lang en|ru] [--json] [--timeout 5s] [--public-url URL]
                                   проверить настройку площадки перед запуском (конфигурация,
                                   Postgres и миграции, настройки Redis, права Slack, вебхук
                                   Telegram, модель, публичный адрес, диск, часы); по строке
                                   на проверку с исправлением; код выхода 1 при ошибке
  support-process [--lang en|ru]   вывести процесс поддержки (сроки P0-P3, рабочие часы,
                                   эскалация, каналы, как связаться с поддержкой) в Markdown
                                   по конфигурации этой установки
  understand [--llm] [--llm-timeout 5s]
                                   на входе строки JSON ({"text", "lang"}), на выходе по строке JSON на каждую
  understand --export-feedback     выборы «Вы имели в виду» размеченными строками для корпуса
`,
    'cli.chat.banner': 'a2d2 — введите «помощь» (или "help"); «exit» — выход.',
    'cli.option.needsValue': 'для {name} нужно значение',
    'cli.option.url': '{name} принимает адрес http или https, а не «{value}»',
    'cli.option.timeout': '--timeout принимает длительность с единицей, например {example} или 500ms, а не «{value}»',
    'cli.option.lang': '--lang принимает en или ru, а не «{value}»',
    'cli.migrate.unknownOption': 'неизвестный параметр migrate: {option} (используйте --status или --dry-run)',
    'cli.smoke.unknownOption': 'неизвестный параметр smoke: {option} (используйте --url, --json или --timeout)',
    'cli.doctor.unknownOption': 'неизвестный параметр doctor: {option} (используйте {options})',
    'cli.support.unknownOption': 'неизвестный параметр support-process: {option} (используйте --lang en или --lang ru)',
    'cli.migrate.tooMany': 'migrate принимает не больше одного параметра, а не: {args}',
    'cli.migrate.summary': 'База данных {database}: применено {applied}, ожидает {pending}.',
    'cli.migrate.applied_one': 'База данных {database}: применена {count} миграция: {names}.',
    'cli.migrate.applied_few': 'База данных {database}: применены {count} миграции: {names}.',
    'cli.migrate.applied_many': 'База данных {database}: применено {count} миграций: {names}.',
    'cli.migrate.applied_other': 'База данных {database}: применено {count} миграции: {names}.',
    'cli.migrate.upToDate': 'База данных {database} в актуальном состоянии: применять нечего.',
    'cli.migrate.noDatabase': 'Базы данных {database} ещё нет: все миграции ожидают.',
    'cli.migrate.state.applied': 'применена',
    'cli.migrate.state.pending': 'ожидает',
    'cli.migrate.state.failed': 'сбой',
    'cli.migrate.notFinished': '(начата {time}, не завершена)',
    'cli.migrate.changedSince': '(файл с тех пор изменён)',
    'cli.migrate.notInVersion': '(нет среди миграций этой версии)',
    'cli.migrate.cannot': 'Миграция невозможна: {error}',
    'cli.migrate.dry.unknown': '-- Внимание: {name} записана в базе данных, но её нет среди миграций этой версии.',
    'cli.migrate.dry.upToDate': '-- База данных {database} в актуальном состоянии: ожидающих миграций нет.',
    'cli.migrate.dry.pending': '-- Ожидающих миграций для базы данных {database}: {pending}; ничего не применено.',
    'cli.migrate.dry.migration': '-- Миграция {name}',
    'cli.migrate.rolledBack': 'Миграция {name} не удалась и откачена: {error}',
    'cli.migrate.refused.unreadable': 'У миграции {name} нет читаемого {file}: {error}',
    'cli.migrate.refused.failed':
      'Миграция {name} не удалась (начата {started}): {cause}. От неё ничего не сохранено. Устраните причину, отметьте её откаченной ' +
      `(UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '{name}' AND finished_at IS NULL) и запустите миграцию снова.`,
    'cli.migrate.refused.failedNoCause':
      'Миграция {name} не удалась (начата {started}): ошибка не записана. От неё ничего не сохранено. Устраните причину, отметьте её откаченной ' +
      `(UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '{name}' AND finished_at IS NULL) и запустите миграцию снова.`,
    'cli.migrate.refused.edited':
      'Миграция {name} изменена после применения (контрольная сумма применённой {applied}, файла {checksum}). ' +
      'Верните применённый {name}/{file} и внесите изменение новой миграцией.',
    'cli.migrate.refused.contract':
      'Миграция {name} — сужающий шаг, применённый более новой версией ({finished}), и её нет среди миграций этой версии: ' +
      'она удалила то, чем эта версия может ещё пользоваться, поэтому версия не запускается. Разверните версию, которая её применила, или более новую (или восстановите резервную копию, сделанную до неё). ' +
      `Только если в заметках к тому выпуску сказано, что эта версия удалённым больше не пользуется: DELETE FROM "{table}" WHERE migration_name = '{name}', затем запустите снова.`,
    'cli.size.b': '{n} Б',
    'cli.size.kib': '{n} КиБ',
    'cli.size.mib': '{n} МиБ',
    'cli.size.gib': '{n} ГиБ',
    'cli.backup.usage': 'использование: a2d2 backup --out FILE',
    'cli.backup.usageUnknown': 'использование: a2d2 backup --out FILE (неизвестный аргумент: {arg})',
    'cli.backup.written': 'Резервная копия записана в {file} ({size}).',
    'cli.backup.database': '  База данных {database}: таблиц {tables}, строк {rows}, применённых миграций {migrations} (PostgreSQL {version}).',
    'cli.backup.files': '  Сохранённые файлы: {files} ({size}) из {dir}.',
    'cli.backup.error.noDir': 'Нельзя записать резервную копию в {file}: такого каталога нет.',
    'cli.backup.error.damaged': 'Резервная копия {file} повреждена или неполна: {why}.',
    'cli.backup.why.manifestLarge': 'её опись неправдоподобно велика',
    'cli.backup.why.manifestJson': 'её опись — не корректный JSON',
    'cli.backup.why.notManifest': 'её опись — не опись резервной копии a2d2',
    'cli.backup.why.notFirst': 'она начинается не с {entry}',
    'cli.backup.why.unlisted': 'в ней есть {entry}, которого нет в описи',
    'cli.backup.why.entrySum': 'контрольная сумма {entry} не совпадает с описью',
    'cli.backup.why.archive': '{error}',
    'cli.backup.why.noManifest': 'в ней нет описи',
    'cli.backup.why.missing': 'не хватает записей из описи: {missing}, первая {entry}',
    'cli.backup.error.format': 'Резервная копия {file} имеет версию формата {version}, которую эта версия a2d2 прочесть не может.',
    'cli.backup.error.noFile': 'Файла резервной копии {file} нет.',
    'cli.backup.error.toolMissingFor': '{tool} не найден в PATH: установите postgresql-client-{server} (сервер — PostgreSQL {server}).',
    'cli.backup.error.toolVersion': '{tool} --version не сообщил версию PostgreSQL: {output}',
    'cli.backup.error.toolOld': '{tool} версии {major}, старше сервера PostgreSQL {server}: установите postgresql-client-{server}.',
    'cli.backup.error.toolMissing': '{tool} не найден в PATH: установите postgresql-client.',
    'cli.backup.error.toolFailed': '{tool} завершился с ошибкой (код {code}): {line}',
    'cli.backup.error.badKey': 'В резервной копии есть файл с недопустимым ключом хранилища: {path}.',
    'cli.backup.error.notEmpty':
      'База данных {database} не пуста: в ней таблиц a2d2: {tables} ({names}). Восстанавливайте в новую или пустую базу либо укажите --force, чтобы заменить её содержимое.',
    'cli.backup.error.filesDiffer':
      'Файлы в {dir} отличаются от резервной копии ({differing}, первый {first}); восстанавливайте в пустой каталог хранилища либо укажите --force, чтобы перезаписать их.',
    'cli.backup.error.entrySum': 'Контрольная сумма {target} не совпадает с резервной копией; им ничего не перезаписано.',
    'cli.backup.error.rowCounts': 'Число восстановленных строк отличается от резервной копии в таблицах ({wrong}): в {table} строк {got}, в копии было {want}.',
    'cli.backup.error.rowCountsNoTable': 'Число восстановленных строк отличается от резервной копии в таблицах ({wrong}): таблицы {table} нет, в копии было строк {want}.',
    'cli.backup.error.fileSum': 'Контрольная сумма восстановленного файла {path} не совпадает с резервной копией.',
    'cli.backup.warn.unknownMigrations':
      'Внимание: резервную копию сделала a2d2 {version}, в ней есть миграции, которых эта версия не знает ({unknown}, первая {first}); ' +
      'восстанавливайте её той же или более новой версией либо будьте готовы, что части схемы в этой версии не будет.',
    'cli.backup.warn.replacing': 'Содержимое базы данных {database} заменяется (--force).',
    'cli.backup.warn.overwriting': 'Перезаписываются отличающиеся файлы в {dir}: {differing} (--force).',
    'cli.restore.usage': 'использование: a2d2 restore FILE [--force]',
    'cli.restore.usageUnknown': 'использование: a2d2 restore FILE [--force] (неизвестный параметр: {option})',
    'cli.restore.done': '{file} (a2d2 {version}, сделана {made}) восстановлена в базу данных {database}.',
    'cli.restore.doneCreated': '{file} (a2d2 {version}, сделана {made}) восстановлена в базу данных {database} (создана).',
    'cli.restore.database': '  База данных: таблиц {tables}, строк {rows}, миграций {migrations}; число строк совпадает с резервной копией.',
    'cli.restore.files': '  Сохранённые файлы: {files} ({size}) в {dir}: записано {written}, уже были {present}; все контрольные суммы совпадают.',
    'cli.restore.pending': '  В этой версии есть миграции, которых нет в резервной копии ({pending}): их применит a2d2 migrate (или start).',
    'cli.smoke.title': 'Проверка установки {url}',
    'cli.smoke.head.check': 'проверка',
    'cli.smoke.head.result': 'итог',
    'cli.smoke.head.ms': 'время мс',
    'cli.smoke.head.detail': 'подробности',
    'cli.smoke.result.pass': 'ок',
    'cli.smoke.result.fail': 'ошибка',
    'cli.smoke.result.skip': 'пропуск',
    'cli.smoke.summary': 'пройдено: {pass}, ошибок: {fail}, пропущено: {skip}.',
    'cli.smoke.healthy': 'Установка исправна.',
    'cli.smoke.unhealthy': 'Установка неисправна, не прошли: {checks}.',
  },
};
