// How the learned embedder reads text: lower case without diacritics, runs of
// a-z and 0-9, common English and paper-writing words dropped, Porter stems.
// Measured on paraphrase queries of demo papers: stemming, stopwords and
// (1 + ln tf) pooling mattered more than the training objective (plain words
// and plain averages: 0.55 Recall@10 instead of 0.71).
import { porterStem } from '../porter-stem.js';
import { fold } from '../text-match.js';

export const MODEL_STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above across after again against all almost along also although always am among an and another any are around as at ' +
    'be because been before being below between both but by can could did do does doing done down during each either else enough etc ' +
    'even ever every few for from further furthermore had has have having he her here hers him his how however i if in into is it its itself ' +
    'just least less let like made make makes many may me might more moreover most much must my near neither no nor not now of off often on once ' +
    'one only onto or other others otherwise our ours out over own per perhaps rather same several she should since so some still such than that ' +
    'the their theirs them then there therefore these they this those though through thus to too toward towards under until up upon us very via ' +
    'was we were what whatever when where whereas whether which while who whom whose why will with within without would yet you your ' +
    'use used uses using usage based new novel paper propose proposed proposes present presents presented approach approaches method methods ' +
    'show shows shown showed result results demonstrate demonstrates work works study studies introduce introduces introduced achieve achieves ' +
    'achieved existing furthermore specifically significantly extensive experiments experimental state art well however further'
  ).split(/\s+/),
);

const WORD = /[a-z0-9]+/g;
const stems = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;

/** The stem a word counts as, or null for a stopword or a lone character. */
export function modelStem(word: string): string | null {
  let s = stems.get(word);
  if (s !== undefined) return s === '' ? null : s;
  s = word.length < 2 || MODEL_STOPWORDS.has(word) ? '' : porterStem(word);
  if (stems.size >= STEM_CACHE_MAX) stems.clear();
  stems.set(word, s);
  return s === '' ? null : s;
}

/** Each stem of `text` with how often it occurs. */
export function stemCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of fold(text).matchAll(WORD)) {
    const s = modelStem(m[0]);
    if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}
