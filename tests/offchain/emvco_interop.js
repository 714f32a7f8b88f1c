// Reads EMVCo payloads with two independent parsers from npm, for tests/offchain/test_emvco_interop.py.
// stdin: a JSON array of payloads. stdout: a JSON array with, for each payload, what each parser saw:
// - promptparse (strict): null when it refuses the CRC, else the tag tree [{id, value, sub}];
// - emv-qrcps: its raw dump ("ID LENGTH VALUE" lines, sub-objects indented by one space) and the payload it
//   writes back from what it parsed.
"use strict";

const fs = require("fs");
const promptparse = require("promptparse");
const { Merchant } = require("emv-qrcps");

const tree = (tags) => tags.map((t) => ({ id: t.id, value: t.value, sub: t.subTags ? tree(t.subTags) : null }));

const payloads = JSON.parse(fs.readFileSync(0, "utf8"));
const seen = payloads.map((payload) => {
  const strict = promptparse.parse(payload, true, true);
  const parsed = Merchant.Parser.toEMVQR(payload);
  return {
    promptparse: strict ? tree(strict.getTags()) : null,
    emvQrcpsDump: parsed.rawData(),
    emvQrcpsPayload: parsed.generatePayload(),
  };
});
process.stdout.write(JSON.stringify(seen));
