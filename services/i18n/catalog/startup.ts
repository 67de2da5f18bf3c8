/**
 * Start-up errors: what `a2d2 start` (and every other command that reads the configuration)
 * prints as one line on stderr before it exits with code 1. Every start-up error is a
 * `ConfigError` (services/config.ts) worded from these keys, in English on the console;
 * docs/troubleshooting.md explains each one (test/unit/troubleshooting.test.ts checks that
 * every `startup.` key is there).
 */
export const startup = {
  en: {
    'startup.config': 'config: {key}: {expected}',
    'startup.configNotFound': 'file not found: {path}',
    'startup.yamlSyntax': 'invalid YAML at line {line}: {reason}',
    'startup.role': 'one of all, http, worker',
    'startup.telegramWebhookSecret': 'required in webhook mode (TELEGRAM_MODE=webhook): 1-256 characters of A-Z, a-z, 0-9, _ and -',
    'startup.telegramToken': 'Telegram refused the token ({code} {description})',
  },
  ru: {
    'startup.config': 'конфигурация: {key}: {expected}',
    'startup.configNotFound': 'файл не найден: {path}',
    'startup.yamlSyntax': 'ошибка в YAML в строке {line}: {reason}',
    'startup.role': 'одно из all, http, worker',
    'startup.telegramWebhookSecret': 'обязателен в режиме вебхука (TELEGRAM_MODE=webhook): от 1 до 256 символов из A-Z, a-z, 0-9, _ и -',
    'startup.telegramToken': 'Telegram не принял токен ({code} {description})',
  },
};
