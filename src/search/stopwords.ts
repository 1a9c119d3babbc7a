/** Lucene's English stop set, what BEIR's BM25 baseline removes; measured best on SciFact train. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);
