import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectFormat } from './detect-format.js';
import { openSource } from './read-source.js';

const fixtures = join(import.meta.dirname, '../../test/fixtures');

test('every real fixture is recognised from its content', async () => {
  const cases: [string, string][] = [
    ['hf-daily/daily_papers-2024-05-27.json', 'hf-daily-json'],
    ['hf-daily/daily_papers-2024-12-11.json', 'hf-daily-json'],
    ['hf-daily/daily_papers-2025-01-10.json', 'hf-daily-json'],
    ['hf-daily/papers-sample.jsonl.gz', 'hf-daily-jsonl'],
    ['kaggle/abs-records-sample.jsonl', 'kaggle-jsonl'],
    ['listings/listings-2025-03-18.jsonl.gz', 'arxiv-listing-jsonl'],
    ['arxiv/api-atom/arxiv-api-atom-all-science-2019-08-10.xml', 'arxiv-atom'],
    ['arxiv/api-atom/id_abc_s0_m100_b79c8dcf6bc3.atom.xml', 'arxiv-atom'],
    ['arxiv/oai-pmh/hepcrawl-arxiv-single.xml', 'oai-pmh'],
    ['arxiv/oai-pmh/hepcrawl-sample_arxiv_record.xml', 'oai-pmh'],
  ];
  for (const [file, format] of cases) {
    const head = await (await openSource(join(fixtures, file))).head();
    // A neutral name proves the content alone decides.
    assert.equal(detectFormat(head, 'input.data'), format, file);
  }
});

test('one-line JSON documents, and the name as the last resort', () => {
  assert.equal(detectFormat('[{"paper": {"id": "2405.15738"}}]', 'x'), 'hf-daily-json');
  assert.equal(detectFormat('{"status": "success", "date": "2025-01-10", "count": 0, "data": []}', 'x'), 'hf-daily-json');
  assert.equal(detectFormat('{"paper": {"id": "2405.15738"}, "numComments": 1}\n', 'x'), 'hf-daily-jsonl');
  assert.equal(detectFormat('{"id": "2405.15738", "title": "T"}\n', 'arxiv-metadata-oai-snapshot.json'), 'kaggle-jsonl');
  assert.equal(detectFormat('{"id": "2405.15738", "title": "T"}\n', 'new-listings.jsonl'), 'arxiv-listing-jsonl');
  assert.equal(detectFormat('{"id": "2405.15738", "title": "T"}\n', 'x.jsonl'), null);
  assert.equal(detectFormat('id\ttitle\n', 'x.tsv'), null);
  assert.equal(detectFormat('<html></html>', 'x.xml'), null);
  assert.equal(detectFormat('', 'x'), null);
});
