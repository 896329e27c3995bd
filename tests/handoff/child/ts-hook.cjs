// Runs a TypeScript test module in a plain Node child process (for the crash suite, which must kill -9 it):
// compiles each .ts file on require with the project's TypeScript, as CommonJS, types stripped.
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const ts = require('typescript');

const options = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	resolveJsonModule: true,
	sourceMap: false,
};

function compileTs(module, filename) {
	const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename });
	module._compile(outputText, filename);
}

// require('./x') tries the handlers' extensions in order: .ts goes right after .js, so `X.node` finds X.node.ts and
// not the X.node.json codex beside it.
const handlers = { ...Module._extensions };
for (const ext of Object.keys(handlers)) delete Module._extensions[ext];
Module._extensions['.js'] = handlers['.js'];
Module._extensions['.ts'] = compileTs;
for (const [ext, handler] of Object.entries(handlers)) if (!(ext in Module._extensions)) Module._extensions[ext] = handler;

require(process.argv[2]);
