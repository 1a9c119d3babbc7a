/*
** paperboy_bm25(): FTS5's bm25() with the phrase document counts supplied by
** the caller, so that a query does not count them itself.
**
**   paperboy_bm25(fts_table, w_1, ..., w_C, hits_1, ..., hits_P)
**
** C = the table's column count (column weights, as for bm25()), P = the
** query's phrase count (FTS5 numbers phrases in the order they appear in the
** MATCH expression); hits_i is the number of rows containing phrase i, or
** -1 to leave phrase i out of the score (it still takes part in matching:
** Paperboy narrows a query to the papers holding its rarest words by
** matching "(rare words) AND (query)" and scores only the query's phrases).
**
** Why: bm25() computes each phrase's IDF by walking the phrase's whole
** posting list once per query. For a word in half of a million papers that
** walk costs ~10-30 ms, every query. Paperboy caches the counts instead (they
** change slowly) and passes them in. The scoring itself is bm25()'s, copied
** from SQLite's fts5_aux.c (public domain): the same k1, b, IDF floor and
** column weighting, so the scores are equal when the counts are.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <math.h>
#include <string.h>

/*
** Document lengths (tokens in all columns) by rowid, per connection and
** table: xColumnSize() reads a %_docsize row through a statement on every
** call, which was 40-70% of the scoring time on 1M papers (~2 us a row).
** Index |rowid| (Paperboy's rowids are -papers.rowid); 0 = not known yet.
** The tables are told apart by column count (Paperboy's two keyword tables
** have 3 and 2 columns). paperboy_doclen_reset() forgets them all: the store
** calls it after it writes the index and when another connection has.
*/
#define DOCLEN_MAX_COLS 8
#define DOCLEN_MAX_ROWID 200000000
#define DOCLEN_KEY "paperboy_doclen"
typedef struct DocLens {
  int *a;
  sqlite3_int64 n;
} DocLens;
typedef struct DocLenCache {
  DocLens aTable[DOCLEN_MAX_COLS + 1];
} DocLenCache;

static void docLenClear(DocLenCache *p) {
  int i;
  for (i = 0; i <= DOCLEN_MAX_COLS; i++) {
    sqlite3_free(p->aTable[i].a);
    p->aTable[i].a = 0;
    p->aTable[i].n = 0;
  }
}

static void docLenDestroy(void *p) {
  docLenClear((DocLenCache *)p);
  sqlite3_free(p);
}

static DocLenCache *docLenCache(sqlite3 *db) {
  DocLenCache *p = (DocLenCache *)sqlite3_get_clientdata(db, DOCLEN_KEY);
  if (p == 0) {
    p = (DocLenCache *)sqlite3_malloc64(sizeof(DocLenCache));
    if (p == 0) return 0;
    memset(p, 0, sizeof(DocLenCache));
    /* On failure SQLite has already called docLenDestroy(p). */
    if (sqlite3_set_clientdata(db, DOCLEN_KEY, p, docLenDestroy) != SQLITE_OK) return 0;
  }
  return p;
}

/* The row's length in tokens: from the cache, or xColumnSize() remembered. */
static int docLen(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nCol, int *pnTok) {
  sqlite3_int64 iRowid = pApi->xRowid(pFts);
  sqlite3_int64 i = iRowid < 0 ? -iRowid : iRowid;
  DocLenCache *pCache = nCol <= DOCLEN_MAX_COLS && i < DOCLEN_MAX_ROWID ? docLenCache(sqlite3_context_db_handle(pCtx)) : 0;
  DocLens *p = pCache ? &pCache->aTable[nCol] : 0;
  int rc;
  if (p && i < p->n && p->a[i] > 0) {
    *pnTok = p->a[i] - 1;
    return SQLITE_OK;
  }
  rc = pApi->xColumnSize(pFts, -1, pnTok);
  if (rc == SQLITE_OK && p) {
    if (i >= p->n) {
      sqlite3_int64 n = p->n * 2 > i + 1024 ? p->n * 2 : i + 1024;
      int *a = (int *)sqlite3_realloc64(p->a, n * sizeof(int));
      if (a == 0) return SQLITE_OK; /* not remembered; the length is right */
      memset(&a[p->n], 0, (size_t)(n - p->n) * sizeof(int));
      p->a = a;
      p->n = n;
    }
    p->a[i] = *pnTok + 1;
  }
  return rc;
}

static void paperboyDocLenReset(sqlite3_context *pCtx, int nVal, sqlite3_value **apVal) {
  DocLenCache *p = (DocLenCache *)sqlite3_get_clientdata(sqlite3_context_db_handle(pCtx), DOCLEN_KEY);
  (void)nVal;
  (void)apVal;
  if (p) docLenClear(p);
  sqlite3_result_null(pCtx);
}

typedef struct Bm25Data {
  int nPhrase;
  double avgdl;
  double *aIDF;
  double *aFreq;
} Bm25Data;

static int bm25Data(const Fts5ExtensionApi *pApi, Fts5Context *pFts, int nCol, sqlite3_value **apVal, Bm25Data **ppData) {
  Bm25Data *p = (Bm25Data *)pApi->xGetAuxdata(pFts, 0);
  int rc = SQLITE_OK;
  if (p == 0) {
    int nPhrase = pApi->xPhraseCount(pFts);
    sqlite3_int64 nRow = 0, nToken = 0;
    sqlite3_int64 nByte = sizeof(Bm25Data) + (sqlite3_int64)nPhrase * 2 * sizeof(double);
    int i;
    p = (Bm25Data *)sqlite3_malloc64(nByte);
    if (p == 0) return SQLITE_NOMEM;
    memset(p, 0, (size_t)nByte);
    p->nPhrase = nPhrase;
    p->aIDF = (double *)&p[1];
    p->aFreq = &p->aIDF[nPhrase];
    rc = pApi->xRowCount(pFts, &nRow);
    if (rc == SQLITE_OK) rc = pApi->xColumnTotalSize(pFts, -1, &nToken);
    if (rc == SQLITE_OK) p->avgdl = nRow > 0 ? (double)nToken / (double)nRow : 1.0;
    for (i = 0; rc == SQLITE_OK && i < nPhrase; i++) {
      double nHit = sqlite3_value_double(apVal[nCol + i]);
      double idf = log((nRow - nHit + 0.5) / (nHit + 0.5));
      if (idf <= 0.0) idf = 1e-6;
      if (nHit < 0.0) idf = 0.0;
      p->aIDF[i] = idf;
    }
    if (rc == SQLITE_OK) rc = pApi->xSetAuxdata(pFts, p, sqlite3_free);
    else sqlite3_free(p);
    if (rc != SQLITE_OK) p = 0;
  }
  *ppData = p;
  return rc;
}

static void paperboyBm25(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal, sqlite3_value **apVal) {
  const double k1 = 1.2;
  const double b = 0.75;
  int nCol = pApi->xColumnCount(pFts);
  int nPhrase = pApi->xPhraseCount(pFts);
  Bm25Data *pData = 0;
  int rc, i, nInst = 0, nTok = 0;
  double score = 0.0;

  if (nVal != nCol + nPhrase) {
    char *zErr = sqlite3_mprintf("paperboy_bm25: expected %d column weights and %d phrase counts, got %d values", nCol, nPhrase, nVal);
    sqlite3_result_error(pCtx, zErr, -1);
    sqlite3_free(zErr);
    return;
  }
  rc = bm25Data(pApi, pFts, nCol, apVal, &pData);
  if (rc == SQLITE_OK) {
    memset(pData->aFreq, 0, sizeof(double) * pData->nPhrase);
    rc = pApi->xInstCount(pFts, &nInst);
  }
  for (i = 0; rc == SQLITE_OK && i < nInst; i++) {
    int ip, ic, io;
    rc = pApi->xInst(pFts, i, &ip, &ic, &io);
    if (rc == SQLITE_OK) pData->aFreq[ip] += sqlite3_value_double(apVal[ic]);
  }
  if (rc == SQLITE_OK) rc = docLen(pApi, pFts, pCtx, nCol, &nTok);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(pCtx, rc);
    return;
  }
  for (i = 0; i < pData->nPhrase; i++) {
    double f = pData->aFreq[i];
    score += pData->aIDF[i] * ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * (double)nTok / pData->avgdl)));
  }
  sqlite3_result_double(pCtx, -1.0 * score);
}

static fts5_api *fts5Api(sqlite3 *db) {
  fts5_api *pRet = 0;
  sqlite3_stmt *pStmt = 0;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &pStmt, 0) == SQLITE_OK) {
    sqlite3_bind_pointer(pStmt, 1, (void *)&pRet, "fts5_api_ptr", 0);
    sqlite3_step(pStmt);
  }
  sqlite3_finalize(pStmt);
  return pRet;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_paperboyfts_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  fts5_api *fts;
  SQLITE_EXTENSION_INIT2(pApi);
  fts = fts5Api(db);
  if (fts == 0) {
    *pzErrMsg = sqlite3_mprintf("paperboy_fts: this SQLite has no FTS5");
    return SQLITE_ERROR;
  }
  {
    int rc = fts->xCreateFunction(fts, "paperboy_bm25", 0, paperboyBm25, 0);
    if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "paperboy_doclen_reset", 0, SQLITE_UTF8, 0, paperboyDocLenReset, 0, 0);
    return rc;
  }
}
