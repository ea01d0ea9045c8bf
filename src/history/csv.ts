import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Db } from '../db/client.js';
import { allHistory, type HistoryQuery } from './list.js';
import { entryView, namesOf } from './page.js';

export const CSV_HEADER = ['When (UTC)', 'Who', 'What', 'Subject', 'Before', 'After'];

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as a formula:
 * such a cell gets a leading single quote, so it shows as the text it is (OWASP "CSV injection").
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** The export's file name: accord-history-2025-03-31.csv (the day of the export, UTC). */
export const exportFileName = (now = new Date()) => `accord-history-${now.toISOString().slice(0, 10)}.csv`;

async function* records(db: Db, accountId: string, q: HistoryQuery) {
  for await (const batch of allHistory(db, accountId, q)) {
    const names = await namesOf(db, accountId, batch);
    for (const row of batch) {
      const v = entryView(row, names);
      yield [v.datetime.replace('T', ' ').replace('Z', ''), v.who, v.what, v.subject, v.before.join('\n'), v.after.join('\n')];
    }
  }
}

/**
 * The history selected by the filter as RFC 4180 CSV (CRLF line ends, fields quoted where needed; csv-stringify
 * does the quoting), streamed: entries are read in keyset batches and written as the client takes them
 * (backpressure through the pipeline), so memory stays flat whatever the number of entries. The returned stream
 * is what the reply sends; if the client goes away, the pipeline stops reading.
 */
export function historyCsv(db: Db, accountId: string, q: HistoryQuery, onError: (err: unknown) => void): Readable {
  const csv = stringify({
    header: true,
    columns: CSV_HEADER,
    record_delimiter: 'windows',
    // a line break inside a cell (Before and After list one field a line) must be quoted too, not only CRLF
    quoted_match: /[\r\n]/,
    bom: true,
    cast: { string: neutraliseFormula },
  });
  pipeline(Readable.from(records(db, accountId, q)), csv).catch(onError);
  return csv;
}
