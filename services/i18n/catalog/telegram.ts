/** Telegram adapter strings (callback answers). */
export const telegram = {
  en: {
    'telegram.buttonExpired': 'This button has expired. Please run the command again.',
  },
  ru: {
    'telegram.buttonExpired': 'Срок действия этой кнопки истёк. Пожалуйста, выполните команду ещё раз.',
  },
};
