// npm run scan: what n8n's community-package scanner rules say about the package as published. n8n's scanner
// (@n8n/scan-community-package) only scans a package on the registry (it checks provenance first), so this packs the
// package, unpacks the tarball and runs the same rules, @n8n/eslint-plugin-community-nodes' `recommended` config (the
// n8n Cloud / verification one), over the unpacked files. Prints each rule that reports, with its count and files.
// Exits 1 only if a rule reports that the README's "Community-package scanner" section does not list as deliberate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { ESLint } from 'eslint';

const root = join(fileURLToPath(import.meta.url), '..', '..');
// package.json is read with the parser `n8n-node lint` uses for it (typescript-eslint, a dependency of @n8n/node-cli).
const tseslint = createRequire(join(root, 'node_modules', '@n8n', 'node-cli', 'package.json'))('typescript-eslint');
/** Rules this self-hosted package breaks on purpose; the README says why for each. */
const DELIBERATE = new Set([
	'@n8n/community-nodes/no-runtime-dependencies',
	'@n8n/community-nodes/no-restricted-globals',
	'@n8n/community-nodes/no-restricted-imports',
]);

const SD_ALL = process.env.SCAN_ALL === '1';
const work = mkdtempSync(join(tmpdir(), 'sd-scan-'));
try {
	const json = execFileSync('npm', ['pack', '--json', '--pack-destination', work, '--loglevel=error'], {
		cwd: root,
		encoding: 'utf8',
		env: { ...process.env, CI: 'true' },
		maxBuffer: 64 * 1024 * 1024,
	});
	const [{ filename }] = JSON.parse(json.slice(json.search(/^\[/m)));
	execFileSync('tar', ['-xzf', join(work, filename), '-C', work]);
	const dir = join(work, 'package');

	const recommended = n8nCommunityNodesPlugin.configs.recommended;
	const eslint = new ESLint({
		cwd: dir,
		overrideConfigFile: true,
		overrideConfig: [
			{ ...recommended, files: ['**/*.js'], languageOptions: { sourceType: 'commonjs', ecmaVersion: 2023 } },
			{
				...recommended,
				files: ['package.json'],
				languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
			},
		],
	});
	const results = await eslint.lintFiles(['**/*.js', 'package.json']);
	const byRule = new Map();
	for (const result of results) {
		for (const message of result.messages) {
			const rule = message.ruleId ?? '(parse error)';
			const entry = byRule.get(rule) ?? { count: 0, files: new Set(), severity: message.severity, example: message.message };
			entry.count++;
			entry.files.add(relative(dir, result.filePath));
			byRule.set(rule, entry);
		}
	}
	console.log(`scanned ${results.length} files of ${filename} with @n8n/eslint-plugin-community-nodes (recommended)`);
	if (byRule.size === 0) console.log('no rule reports anything');
	let unexpected = 0;
	for (const [rule, { count, files, severity, example }] of [...byRule].sort()) {
		const deliberate = DELIBERATE.has(rule);
		if (!deliberate && severity === 2) unexpected++;
		const list = [...files].slice(0, SD_ALL ? 99 : 4).join(', ') + (!SD_ALL && files.size > 4 ? `, … (${files.size} files)` : '');
		console.log(`${deliberate ? 'deliberate' : severity === 2 ? 'ERROR     ' : 'warning   '} ${rule}: ${count}× in ${list}\n           e.g. ${example}`);
	}
	process.exitCode = unexpected > 0 ? 1 : 0;
} finally {
	rmSync(work, { recursive: true, force: true });
}
