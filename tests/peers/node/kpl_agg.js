#!/usr/bin/env node
// aws-kinesis-agg (npm, the version pinned in package.json) as a peer of the kpl module's tests
// (tests/kpl_peers_node.rs).
//
// Usage:
//   node kpl_agg.js aggregate    stdin: JSON lines {"records": [{"pk", "ehk" (or null), "data"}]}
//       with data in base64. Each set goes through a new RecordAggregator (the library's own
//       code, flushed at the end). One line out per set: {"entries": [{"pk", "ehk", "data"}]},
//       the PutRecords entries the library produced ("ehk" null when it set none).
//   node kpl_agg.js deaggregate  stdin: JSON lines {"data": base64}. One line out per input:
//       {"records": [{"pk", "ehk", "sub", "data"}]} from deaggregateSync with checksums checked,
//       or {"error": message} when the library refuses the record.
// Exit status 0 unless something broke.
'use strict';

const readline = require('readline');
const agg = require('aws-kinesis-agg');

function aggregate(set) {
  const entries = [];
  const aggregator = new agg.RecordAggregator();
  const records = set.records.map((r) => {
    const record = { partitionKey: r.pk, data: Buffer.from(r.data, 'base64') };
    if (r.ehk !== null) {
      record.explicitHashKey = r.ehk;
    }
    return record;
  });
  aggregator.aggregateRecords(records, true, (err, encoded) => {
    if (err) {
      throw err;
    }
    entries.push({
      pk: encoded.partitionKey,
      ehk: encoded.ExplicitHashKey === undefined ? null : encoded.ExplicitHashKey,
      data: encoded.data.toString('base64'),
    });
  });
  return { entries };
}

function deaggregate(input) {
  let answer = null;
  agg.deaggregateSync({ data: input.data }, true, (err, records) => {
    if (err) {
      answer = { error: String(err.message || err) };
      return;
    }
    answer = {
      records: records.map((r) => ({
        pk: r.partitionKey,
        ehk: r.explicitPartitionKey === undefined ? null : r.explicitPartitionKey,
        sub: r.subSequenceNumber,
        data: r.data,
      })),
    };
  });
  if (answer === null) {
    throw new Error('deaggregateSync did not call back');
  }
  return answer;
}

const modes = { aggregate, deaggregate };
const mode = modes[process.argv[2]];
if (!mode) {
  process.stderr.write('usage: kpl_agg.js aggregate|deaggregate < lines\n');
  process.exit(2);
}
const out = [];
readline
  .createInterface({ input: process.stdin })
  .on('line', (line) => out.push(JSON.stringify(mode(JSON.parse(line)))))
  .on('close', () => process.stdout.write(out.join('\n') + '\n'));
