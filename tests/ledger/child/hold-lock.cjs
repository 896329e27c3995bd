// Another process holding the embedded ledger's write lock: BEGIN IMMEDIATE on the file, a row written and not
// committed, for HOLD_MS; then it rolls back and exits. Says {"locked":true} once it holds the lock.
'use strict';
const { DatabaseSync } = require('node:sqlite');
const { writeSync } = require('node:fs');

const [file, holdMs] = [process.argv[2], Number(process.argv[3])];
const db = new DatabaseSync(file);
db.exec('BEGIN IMMEDIATE');
db.exec("INSERT INTO overflow_state (scope, rule_id, active) VALUES ('lock-holder', 'r', 1)");
writeSync(1, JSON.stringify({ locked: true, pid: process.pid }) + '\n');
setTimeout(() => {
	db.exec('ROLLBACK');
	db.close();
	writeSync(1, JSON.stringify({ released: true }) + '\n');
}, holdMs);
