/** Types of the snowball-stemmers package (plain JavaScript, no types of its own). */
declare module 'snowball-stemmers' {
  interface Stemmer {
    stem(word: string): string;
  }
  const factory: { newStemmer(language: string): Stemmer; algorithms(): string[] };
  export default factory;
}
